package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class SvmaxBoundedTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return SvmaxRegularizer.builder().optLambda(0.7).build();
    }

    @Override
    protected double reference(double[][][] views, int[] labels) {
        return 0.7 * Reference.svmaxBounded(views[0]);
    }
}
