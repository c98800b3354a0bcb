package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class AngularLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return AngularLoss.builder().build();
    }

    @Override
    protected boolean rowPermutationInvariant() {
        return false;
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return RankingReference.angular(v[0], labels, 45);
    }
}
