package org.embreg.loss;


/**
 * N-pair loss (Sohn 2016) on L2-normalized embeddings. The batch holds anchor/positive pairs as
 * consecutive rows of one label (p = 72 classes x l = 2 in the paper); with a_k, p_k the rows of
 * pair k, the loss is mean_k [log sum_j exp(a_k . p_j) - a_k . p_k], j running over k and the pairs
 * of other labels (a positive of the same label in another pair is left out, not counted as a
 * negative). 0 with a zero gradient when the batch has no pair.
 */
public final class NPairLoss extends PairLoss {
    private final PerLayout<AnchorPositivePairs> pairs = new PerLayout<>(AnchorPositivePairs::of);

    private NPairLoss(Builder b) {
        super(b.name);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** N-pair reads anchors x positives only: a quarter of the Gram matrix, half of the gradient's product. */
    @Override
    protected Block block(int[] labels) {
        AnchorPositivePairs p = pairs.get(labels);
        return new Block(p.anchors(), p.positives());
    }

    @Override
    protected double loss(Batch batch) {
        AnchorPositivePairs pairs = this.pairs.get(batch.labels());
        int m = pairs.size();
        reportCount("npair.pairs", m);
        if (m == 0) {
            return 0;
        }
        int[] anchors = pairs.anchors();
        int[] positives = pairs.positives();
        double total = 0;
        double[] logits = new double[m];
        for (int k = 0; k < m; k++) {
            int a = anchors[k];
            // row k of the block: a_k . p_j for every pair j
            batch.blockRow(k, logits);
            total -= logits[k];
            // a positive of the same label in another pair is left out, not counted as a negative
            total += hostMath().softmax(logits, pairs.otherLabelOrSelf()[k], false);
            // the softmax is 0 where unused, so the whole row adds
            batch.addBlockRow(k, logits, 1.0 / m);
            batch.addSimilarityGradient(a, positives[k], -1.0 / m);
        }
        return total / m;
    }

    /** Builds an {@link NPairLoss}; it has no hyperparameter. */
    public static final class Builder {
        private String name = "npair";

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public NPairLoss build() {
            return new NPairLoss(this);
        }
    }
}
