package org.embreg.loss;

import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

/** Bounded SVMax on each of two views, averaged: the contract against the reference on each view. */
class EachViewSvmaxTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return new EachViewLoss(SvmaxRegularizer.builder().build());
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return (Reference.svmaxBounded(v[0]) + Reference.svmaxBounded(v[1])) / 2;
    }
}
