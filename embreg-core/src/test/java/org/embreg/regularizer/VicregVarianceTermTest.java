package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class VicregVarianceTermTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).optWeight(1.5).build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return 1.5 * Reference.vicregVariance(v[0], 1, 1e-4);
    }
}
