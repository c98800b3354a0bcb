package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * N-pair loss (Sohn 2016) on L2-normalized embeddings. The batch holds anchor/positive pairs as
 * consecutive rows of one label (p = 72 classes x l = 2 in the paper); with a_k, p_k the rows of
 * pair k, the loss is mean_k [log sum_j exp(a_k . p_j) - a_k . p_k], j running over k and the pairs
 * of other labels (a positive of the same label in another pair is left out, not counted as a
 * negative). 0 with a zero gradient when the batch has no pair.
 */
public final class NPairLoss extends PairLoss {
    private NPairLoss(Builder b) {
        super(b.name);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDArray loss(Batch batch) {
        AnchorPositivePairs pairs = AnchorPositivePairs.of(batch.labels());
        int m = pairs.size();
        reportCount("npair.pairs", m);
        if (m == 0) {
            return zero(batch);
        }
        NDManager manager = batch.manager();
        NDArray x = batch.normalized();
        NDArray a = x.get(manager.create(toLong(pairs.anchors())));
        NDArray p = x.get(manager.create(toLong(pairs.positives())));
        NDArray logits = a.matMul(p.transpose());
        float[] penalty = new float[m * m];
        int[] y = batch.labels();
        for (int k = 0; k < m; k++) {
            for (int j = 0; j < m; j++) {
                boolean otherPositive = j != k && y[pairs.positives()[j]] == y[pairs.anchors()[k]];
                penalty[k * m + j] = otherPositive ? AnchorPositivePairs.EXCLUDED : 0f;
            }
        }
        NDArray masked = logits.add(manager.create(penalty, new Shape(m, m)).toType(logits.getDataType(), false));
        int[] diag = new int[m];
        for (int k = 0; k < m; k++) {
            diag[k] = k;
        }
        NDArray positive = Batch.gatherSquare(logits, diag, diag);
        return logSumExpRows(masked).sub(positive).mean();
    }

    /** log sum_j exp(z_ij) per row, stable. */
    static NDArray logSumExpRows(NDArray z) {
        NDArray max = z.max(new int[] {1}, true).stopGradient();
        return z.sub(max).exp().sum(new int[] {1}, true).log().add(max).flatten();
    }

    static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
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
