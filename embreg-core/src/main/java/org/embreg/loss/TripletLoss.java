package org.embreg.loss;

/**
 * Triplet margin loss on L2-normalized embeddings: mean over the mined triplets (a, p, n) of
 * max(0, d(a, p) - d(a, n) + margin), margin 0.2 by default; 0 with a zero gradient when no
 * triplet is mined. Triplets are mined on the host from the batch's distances:
 * <ul>
 *   <li>{@link Mining#BATCH_HARD}: per anchor, its farthest positive and nearest negative
 *       (Hermans et al. 2017);
 *   <li>{@link Mining#SEMI_HARD}: every (a, p, n) with d(a, p) &lt; d(a, n) &lt; d(a, p) + margin
 *       (FaceNet's semi-hard negatives, as pytorch-metric-learning's TripletMarginMiner);
 *   <li>{@link Mining#ALL}: every valid triplet.
 * </ul>
 * The paper samples p = 24 classes x l = 6 per batch for it.
 */
public final class TripletLoss extends PairLoss {
    /** Which triplets are used. */
    public enum Mining {
        BATCH_HARD,
        SEMI_HARD,
        ALL
    }

    private final double margin;
    private final Mining mining;

    private TripletLoss(Builder b) {
        super(b.name);
        this.margin = b.margin;
        this.mining = b.mining;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mines on the host: a triplet whose hinge is active contributes d(a, p) - d(a, n) + margin,
     * so the sum over active triplets is sum(W * D) + margin x (active count), with W(a, p) += 1
     * and W(a, n) -= 1 per active triplet; inactive ones contribute 0 (and no gradient) and still
     * count in the mean.
     */
    @Override
    protected double loss(Batch batch) {
        int[] y = batch.labels();
        int b = y.length;
        double[] d = batch.distances();
        double[] w = new double[b * b];
        long triplets = 0;
        long active = 0;
        for (int a = 0; a < b; a++) {
            if (mining == Mining.BATCH_HARD) {
                int hardP = -1;
                int hardN = -1;
                for (int j = 0; j < b; j++) {
                    if (j == a) {
                        continue;
                    }
                    if (y[j] == y[a] && (hardP < 0 || d[a * b + j] > d[a * b + hardP])) {
                        hardP = j;
                    }
                    if (y[j] != y[a] && (hardN < 0 || d[a * b + j] < d[a * b + hardN])) {
                        hardN = j;
                    }
                }
                if (hardP >= 0 && hardN >= 0) {
                    triplets++;
                    if (d[a * b + hardP] - d[a * b + hardN] + margin > 0) {
                        active++;
                        w[a * b + hardP] += 1;
                        w[a * b + hardN] -= 1;
                    }
                }
                continue;
            }
            for (int p = 0; p < b; p++) {
                if (p == a || y[p] != y[a]) {
                    continue;
                }
                double ap = d[a * b + p];
                for (int n = 0; n < b; n++) {
                    if (y[n] == y[a]) {
                        continue;
                    }
                    double an = d[a * b + n];
                    boolean hinge = an < ap + margin;
                    if (mining == Mining.ALL || (an > ap && hinge)) {
                        triplets++;
                        if (hinge) {
                            active++;
                            w[a * b + p] += 1;
                            w[a * b + n] -= 1;
                        }
                    }
                }
            }
        }
        reportCount("triplet.triplets", triplets);
        reportCount("triplet.activeTriplets", active);
        if (triplets == 0) {
            return 0;
        }
        double sum = margin * active;
        for (int i = 0; i < w.length; i++) {
            if (w[i] != 0) {
                sum += w[i] * d[i];
                batch.addDistanceGradient(i / b, i % b, w[i] / triplets);
            }
        }
        return sum / triplets;
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("margin", margin, "mining", mining.name());
    }

    /** Builds a {@link TripletLoss}: margin 0.2, batch-hard mining. */
    public static final class Builder {
        private String name = "triplet";
        private double margin = 0.2;
        private Mining mining = Mining.BATCH_HARD;

        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        public Builder optMining(Mining mining) {
            this.mining = mining;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public TripletLoss build() {
            BuilderChecks.positive("margin", margin);
            return new TripletLoss(this);
        }
    }
}
