package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class TripletSemiHardTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return TripletLoss.builder().optMining(TripletLoss.Mining.SEMI_HARD).optMargin(0.5).build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return TripletLossTest.reference(v[0], labels, TripletLoss.Mining.SEMI_HARD, 0.5);
    }
}
