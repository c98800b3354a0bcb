package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class NPairLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return NPairLoss.builder().build();
    }

    @Override
    protected boolean rowPermutationInvariant() {
        return false;
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return RankingReference.npair(v[0], labels);
    }
}
