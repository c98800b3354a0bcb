package org.embreg.loss;

import ai.djl.ndarray.NDArray;

/**
 * Lifted structured loss (Oh Song et al. 2016) on L2-normalized embeddings: for every positive pair
 * (i, j), J_ij = log(sum_{k neg. of i} exp(m - D_ik) + sum_{l neg. of j} exp(m - D_jl)) + D_ij, and
 * the loss is sum over positive pairs i &lt; j of max(0, J_ij)^2 / (2 |P|); margin m = 1 by default. 0 with a
 * zero gradient when the batch has no positive pair or a single class.
 */
public final class LiftedStructuredLoss extends PairLoss {
    private final double margin;

    private LiftedStructuredLoss(Builder b) {
        super(b.name);
        this.margin = b.margin;
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("margin", margin);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double margin() {
        return margin;
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

    /** Builds a {@link LiftedStructuredLoss}: margin 1. */
    public static final class Builder {
        private String name = "lifted";
        private double margin = 1.0;

        /** The margin m, a positive number (default 1). */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public LiftedStructuredLoss build() {
            BuilderChecks.positive("margin", margin);
            return new LiftedStructuredLoss(this);
        }
    }
}
