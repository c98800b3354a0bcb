package org.embreg.loss;


/**
 * Angular loss (Wang et al. 2017) in its N-pair form on L2-normalized embeddings: for each
 * anchor/positive pair (a, p) (consecutive rows of one label, as for {@link NPairLoss}) and every
 * row n of another label, f = 4 tan^2(alpha) (a + p) . n - 2 (1 + tan^2(alpha)) a . p; the loss is
 * the mean over pairs with at least one negative of log(1 + sum_n exp(f)). alpha = 45 degrees by
 * default; 0 with a zero gradient when no pair has a negative.
 */
public final class AngularLoss extends PairLoss {
    private final double alphaDegrees;

    private final PerLayout<AnchorPositivePairs> pairs = new PerLayout<>(AnchorPositivePairs::of);

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
    protected double loss(Batch batch) {
        AnchorPositivePairs pairs = this.pairs.get(batch.labels());
        int[] y = batch.labels();
        int b = y.length;
        int m = pairs.size();
        int withNegatives = 0;
        for (int k = 0; k < m; k++) {
            int a = pairs.anchors()[k];
            for (int n = 0; n < b; n++) {
                if (y[n] != y[a]) {
                    withNegatives++;
                    break;
                }
            }
        }
        reportCount("angular.pairs", withNegatives);
        if (withNegatives == 0) {
            return 0;
        }
        double t2 = Math.pow(Math.tan(Math.toRadians(alphaDegrees)), 2);
        double[] f = new double[b];
        boolean[] negative = new boolean[b];
        // pairs without a negative contribute log(1) = 0; average over those with one
        double total = 0;
        for (int k = 0; k < m; k++) {
            int a = pairs.anchors()[k];
            int p = pairs.positives()[k];
            for (int n = 0; n < b; n++) {
                negative[n] = y[n] != y[a];
                f[n] = 4 * t2 * (batch.similarity(a, n) + batch.similarity(p, n)) - 2 * (1 + t2) * batch.similarity(a, p);
            }
            total += hostMath().softmax(f, negative, true);
            // the softmax is 0 where n is no negative, so every n can take its (zero) share, without a branch
            double scale = 4 * t2 / withNegatives;
            for (int n = 0; n < b; n++) {
                double g = scale * f[n];
                batch.addSimilarityGradient(a, n, g);
                batch.addSimilarityGradient(p, n, g);
            }
            batch.addSimilarityGradient(a, p, -2 * (1 + t2) * HostMath.sum(f, 0, b) / withNegatives);
        }
        return total / withNegatives;
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
