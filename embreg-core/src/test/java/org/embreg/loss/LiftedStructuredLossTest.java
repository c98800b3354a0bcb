package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class LiftedStructuredLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return LiftedStructuredLoss.builder().build();
    }

    @Override
    protected boolean rowPermutationInvariant() {
        return true;
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return RankingReference.lifted(v[0], labels, 1.0);
    }
}
