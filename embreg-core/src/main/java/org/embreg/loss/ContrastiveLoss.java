package org.embreg.loss;

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
    private final PerLayout<PairSelection> pairs;

    private ContrastiveLoss(Builder b) {
        super(b.name);
        this.margin = b.margin;
        this.pairing = b.pairing;
        this.pairs = new PerLayout<>(pairing::select);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double margin() {
        return margin;
    }

    @Override
    protected double loss(Batch batch) {
        PairSelection pairs = this.pairs.get(batch.labels());
        reportCount("contrastive.positivePairs", pairs.positives());
        reportCount("contrastive.negativePairs", pairs.negatives());
        long count = pairs.positives() + pairs.negatives();
        if (count == 0) {
            return 0;
        }
        double pull = 0;
        for (int k = 0; k < pairs.positives(); k++) {
            int i = pairs.positiveFirst()[k];
            int j = pairs.positiveSecond()[k];
            double dij = batch.distance(i, j);
            pull += dij * dij;
            batch.addDistanceGradient(i, j, 2 * dij / count);
        }
        double push = 0;
        for (int k = 0; k < pairs.negatives(); k++) {
            int i = pairs.negativeFirst()[k];
            int j = pairs.negativeSecond()[k];
            double hinge = Math.max(0, margin - batch.distance(i, j));
            push += hinge * hinge;
            batch.addDistanceGradient(i, j, -2 * hinge / count);
        }
        report("contrastive.positive", pull, TermValue.Aggregate.SUM);
        report("contrastive.negative", push, TermValue.Aggregate.SUM);
        return (pull + push) / count;
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
