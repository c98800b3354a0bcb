package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class LiftedStructuredMarginTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return LiftedStructuredLoss.builder().optMargin(0.5).build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return RankingReference.lifted(v[0], labels, 0.5);
    }
}
