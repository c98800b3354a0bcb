package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    protected NDArray loss(Batch batch) {
        int[] y = batch.labels();
        int b = y.length;
        double[] d = batch.hostDistances();
        List<int[]> triplets = new ArrayList<>();
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
                    triplets.add(new int[] {a, hardP, hardN});
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
                    if (mining == Mining.ALL || (an > ap && an < ap + margin)) {
                        triplets.add(new int[] {a, p, n});
                    }
                }
            }
        }
        report("triplet.triplets", triplets.size());
        if (triplets.isEmpty()) {
            return zero(batch);
        }
        int[] anchors = new int[triplets.size()];
        int[] positives = new int[triplets.size()];
        int[] negatives = new int[triplets.size()];
        for (int i = 0; i < anchors.length; i++) {
            anchors[i] = triplets.get(i)[0];
            positives[i] = triplets.get(i)[1];
            negatives[i] = triplets.get(i)[2];
        }
        NDArray ap = batch.gather(batch.distances(), anchors, positives);
        NDArray an = batch.gather(batch.distances(), anchors, negatives);
        return Scalars.atLeast(Scalars.add(ap.sub(an), margin), 0).mean();
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
            if (!(margin > 0) || !Double.isFinite(margin)) {
                throw new IllegalArgumentException("margin must be a positive number, got " + margin);
            }
            return new TripletLoss(this);
        }
    }
}
