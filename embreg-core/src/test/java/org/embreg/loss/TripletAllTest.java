package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;

class TripletAllTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return TripletLoss.builder().optMining(TripletLoss.Mining.ALL).optMargin(0.5).build();
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return TripletLossTest.reference(v[0], labels, TripletLoss.Mining.ALL, 0.5);
    }
}
