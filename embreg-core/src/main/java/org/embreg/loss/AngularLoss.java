package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Angular loss (Wang et al. 2017) in its N-pair form on L2-normalized embeddings: for each
 * anchor/positive pair (a, p) (consecutive rows of one label, as for {@link NPairLoss}) and every
 * row n of another label, f = 4 tan^2(alpha) (a + p) . n - 2 (1 + tan^2(alpha)) a . p; the loss is
 * the mean over pairs with at least one negative of log(1 + sum_n exp(f)). alpha = 45 degrees by
 * default; 0 with a zero gradient when no pair has a negative.
 */
public final class AngularLoss extends PairLoss {
    private final double alphaDegrees;

    private AngularLoss(Builder b) {
        super(b.name);
        this.alphaDegrees = b.alphaDegrees;
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("alphaDegrees", alphaDegrees);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The angle alpha in degrees. */
    public double alphaDegrees() {
        return alphaDegrees;
    }

    @Override
    protected NDArray loss(Batch batch) {
        AnchorPositivePairs pairs = AnchorPositivePairs.of(batch.labels());
        int[] y = batch.labels();
        int b = y.length;
        int m = pairs.size();
        float[] penalty = new float[m * b];
        int withNegatives = 0;
        for (int k = 0; k < m; k++) {
            boolean any = false;
            for (int j = 0; j < b; j++) {
                boolean negative = y[j] != y[pairs.anchors()[k]];
                penalty[k * b + j] = negative ? 0f : AnchorPositivePairs.EXCLUDED;
                any |= negative;
            }
            withNegatives += any ? 1 : 0;
        }
        reportCount("angular.pairs", withNegatives);
        if (withNegatives == 0) {
            return zero(batch);
        }
        double t2 = Math.pow(Math.tan(Math.toRadians(alphaDegrees)), 2);
        NDManager manager = batch.manager();
        NDArray x = batch.normalized();
        NDArray a = x.get(manager.create(NPairLoss.toLong(pairs.anchors())));
        NDArray p = x.get(manager.create(NPairLoss.toLong(pairs.positives())));
        NDArray ap = a.mul(p).sum(new int[] {1}, true);
        NDArray f = Scalars.mul(a.add(p).matMul(x.transpose()), 4 * t2).sub(Scalars.mul(ap, 2 * (1 + t2)));
        NDArray masked = f.add(manager.create(penalty, new Shape(m, b)).toType(f.getDataType(), false));
        NDArray withOne = manager.zeros(new Shape(m, 1), f.getDataType()).concat(masked, 1);
        NDArray perPair = NPairLoss.logSumExpRows(withOne);
        // pairs without a negative contribute log(1) = 0; average over those with one
        return Scalars.div(perPair.sum(), withNegatives);
    }

    /** Builds an {@link AngularLoss}: alpha 45 degrees. */
    public static final class Builder {
        private String name = "angular";
        private double alphaDegrees = 45;

        /** The angle alpha in degrees, strictly between 0 and 90 (default 45). */
        public Builder optAlphaDegrees(double alphaDegrees) {
            this.alphaDegrees = alphaDegrees;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public AngularLoss build() {
            if (!(alphaDegrees > 0 && alphaDegrees < 90)) {
                throw new IllegalArgumentException("alphaDegrees must lie strictly between 0 and 90, got " + alphaDegrees);
            }
            return new AngularLoss(this);
        }
    }
}
