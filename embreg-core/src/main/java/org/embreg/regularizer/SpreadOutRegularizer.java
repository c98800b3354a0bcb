package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Embeddings;
import org.embreg.loss.Scalars;
import org.embreg.loss.TermValue.Aggregate;

/**
 * Spread-out regularization, the global orthogonal regularizer of Zhang et al. (2017) and the
 * SVMax paper's baseline: over anchor/negative pairs of L2-normalized rows, with M1 the mean dot
 * product and M2 the mean squared dot product, the loss is alpha * (M1^2 + max(0, M2 - 1/d)).
 *
 * <p>Each anchor gets one negative (a row of another label) drawn uniformly from the batch by the
 * regularizer's own generator, seeded in the builder; anchors without a negative are skipped and a
 * batch without any gives 0. Reports {@code spreadOut.m1} and {@code spreadOut.m2}.
 */
public final class SpreadOutRegularizer extends EmbeddingLoss {
    private final double alpha;
    private final Random random;

    private SpreadOutRegularizer(Builder b) {
        super(b.name, 1, true);
        this.alpha = b.alpha;
        this.random = new Random(b.seed);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Draws one negative per anchor: negatives[i] is a random row whose label differs from
     * labels[i], or -1 when there is none.
     */
    public int[] drawNegatives(int[] labels) {
        int n = labels.length;
        int[] out = new int[n];
        int[] candidates = new int[n];
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (labels[j] != labels[i]) {
                    candidates[c++] = j;
                }
            }
            out[i] = c == 0 ? -1 : candidates[random.nextInt(c)];
        }
        return out;
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        return withNegatives(views.get(0), drawNegatives(y));
    }

    /**
     * The loss for given anchor/negative pairs (negatives[i] &lt; 0 skips anchor i). Deterministic;
     * {@link #evaluate} calls it with freshly drawn negatives.
     *
     * @param e b x d embeddings (normalized here)
     * @param negatives one index per row
     * @return a scalar on e's manager
     */
    public NDArray withNegatives(NDArray e, int[] negatives) {
        NDManager m = e.getManager();
        int count = 0;
        for (int j : negatives) {
            count += j >= 0 ? 1 : 0;
        }
        if (count == 0) {
            report("spreadOut.m1", 0, Aggregate.MEAN);
            report("spreadOut.m2", 0, Aggregate.MEAN);
            return Scalars.mul(e.sum(), 0);
        }
        long[] anchors = new long[count];
        long[] negs = new long[count];
        int k = 0;
        for (int i = 0; i < negatives.length; i++) {
            if (negatives[i] >= 0) {
                anchors[k] = i;
                negs[k++] = negatives[i];
            }
        }
        long d = e.getShape().get(1);
        NDArray x = Embeddings.l2NormalizeRows(e);
        NDArray dots = x.get(m.create(anchors)).mul(x.get(m.create(negs))).sum(new int[] {1});
        NDArray m1 = dots.mean();
        NDArray m2 = dots.square().mean();
        report("spreadOut.m1", m1, Aggregate.MEAN);
        report("spreadOut.m2", m2, Aggregate.MEAN);
        reportCount("spreadOut.pairs", count);
        return Scalars.mul(m1.square().add(Scalars.atLeast(Scalars.add(m2, -1.0 / d), 0)), alpha);
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("alpha", alpha, "negativesPerAnchor", 1);
    }

    /** Builds a {@link SpreadOutRegularizer}: alpha = 1, seed 0. */
    public static final class Builder {
        private String name = "spread-out";
        private double alpha = 1;
        private long seed;

        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public SpreadOutRegularizer build() {
            if (!Double.isFinite(alpha) || alpha < 0) {
                throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
            }
            return new SpreadOutRegularizer(this);
        }
    }
}
