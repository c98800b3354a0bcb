package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class VicregLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return VicregLoss.builder().build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return 25 * Reference.vicregInvariance(v[0], v[1])
                + 25 * (Reference.vicregVariance(v[0], 1, 1e-4) + Reference.vicregVariance(v[1], 1, 1e-4)) / 2
                + Reference.vicregCovariance(v[0]) + Reference.vicregCovariance(v[1]);
    }
}
