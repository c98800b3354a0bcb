package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class SvmaxVanillaTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).optLambda(2).build();
    }

    @Override
    protected double reference(double[][][] views, int[] labels) {
        return -2 * Reference.nuclearNorm(views[0]) / views[0][0].length;
    }
}
