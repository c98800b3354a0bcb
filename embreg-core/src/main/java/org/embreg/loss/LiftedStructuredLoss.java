package org.embreg.loss;

import ai.djl.ndarray.NDArray;

/**
 * Lifted structured loss (Oh Song et al. 2016) on L2-normalized embeddings: for every positive pair
 * (i, j), J_ij = log(sum_{k neg. of i} exp(m - D_ik) + sum_{l neg. of j} exp(m - D_jl)) + D_ij, and
 * the loss is sum over positive pairs i &lt; j of max(0, J_ij)^2 / (2 |P|); margin m = 1. 0 with a
 * zero gradient when the batch has no positive pair or a single class.
 */
public final class LiftedStructuredLoss extends PairLoss {
    private final double margin;

    private LiftedStructuredLoss(String name, double margin) {
        super(name);
        this.margin = margin;
    }

    /** Margin 1. */
    public static LiftedStructuredLoss create() {
        return withMargin(1.0);
    }

    public static LiftedStructuredLoss withMargin(double margin) {
        if (!(margin > 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be a positive number, got " + margin);
        }
        return new LiftedStructuredLoss("lifted", margin);
    }

    @Override
    protected NDArray loss(Batch batch) {
        int[] y = batch.labels();
        int positives = 0;
        boolean twoClasses = false;
        for (int i = 0; i < y.length; i++) {
            for (int j = i + 1; j < y.length; j++) {
                positives += y[i] == y[j] ? 1 : 0;
                twoClasses |= y[i] != y[j];
            }
        }
        reportCount("lifted.positivePairs", positives);
        if (positives == 0 || !twoClasses) {
            return zero(batch);
        }
        NDArray d = batch.distances();
        NDArray negative = batch.mask((i, j, same) -> !same);
        NDArray upperPositive = batch.mask((i, j, same) -> same && i < j);
        NDArray e = Scalars.subtractFrom(margin, d).exp().mul(negative).sum(new int[] {1}, true);
        NDArray j = e.add(e.transpose()).log().add(d);
        return Scalars.div(Scalars.atLeast(j, 0).square().mul(upperPositive).sum(), 2.0 * positives);
    }
}
