package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class VicregCovarianceTermTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).optWeight(1.5).build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return 1.5 * Reference.vicregCovariance(v[0]);
    }
}
