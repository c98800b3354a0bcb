package org.embreg.loss;

import ai.djl.ndarray.NDArray;

/**
 * Contrastive loss (Hadsell, Chopra, LeCun 2006) on L2-normalized embeddings: positive pairs are
 * pulled together by d^2, negative pairs pushed apart by max(0, margin - d)^2; the loss is the mean
 * over all selected pairs (0 when there are none). Margin 1 and the paper's balanced pairs by
 * default.
 */
public final class ContrastiveLoss extends PairLoss {
    /** How pairs are chosen from a batch. */
    public enum Pairing {
        /** The SVMax paper's equal numbers of positive and negative pairs; see {@link PairSelection#balanced}. */
        BALANCED,
        /** Every pair in the batch. */
        ALL;

        PairSelection select(int[] labels) {
            return this == BALANCED ? PairSelection.balanced(labels) : PairSelection.all(labels);
        }
    }

    private final double margin;
    private final Pairing pairing;

    private ContrastiveLoss(Builder b) {
        super(b.name);
        this.margin = b.margin;
        this.pairing = b.pairing;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double margin() {
        return margin;
    }

    @Override
    protected NDArray loss(Batch batch) {
        PairSelection pairs = pairing.select(batch.labels());
        reportCount("contrastive.positivePairs", pairs.positives());
        reportCount("contrastive.negativePairs", pairs.negatives());
        long count = pairs.positives() + pairs.negatives();
        if (count == 0) {
            return zero(batch);
        }
        // sums over the pairs as count-weighted sums over the b x b matrix: elementwise, no scatter in backward
        NDArray d = batch.distances();
        NDArray pull = d.square().mul(batch.pairCounts(pairs.positiveFirst(), pairs.positiveSecond())).sum();
        NDArray push = Scalars.atLeast(Scalars.subtractFrom(margin, d), 0).square()
                .mul(batch.pairCounts(pairs.negativeFirst(), pairs.negativeSecond())).sum();
        report("contrastive.positive", pull, TermValue.Aggregate.SUM);
        report("contrastive.negative", push, TermValue.Aggregate.SUM);
        return Scalars.div(pull.add(push), Math.max(1, count));
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("margin", margin, "pairing", pairing.name());
    }

    /** Builds a {@link ContrastiveLoss}. */
    public static final class Builder {
        private String name = "contrastive";
        private double margin = 1.0;
        private Pairing pairing = Pairing.BALANCED;

        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        public Builder optPairing(Pairing pairing) {
            this.pairing = pairing;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public ContrastiveLoss build() {
            BuilderChecks.positive("margin", margin);
            return new ContrastiveLoss(this);
        }
    }
}
