package org.embreg.loss;

import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

/** Batch-hard triplets against a brute-force loop; semi-hard and all in their own contract tests. */
class TripletLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return TripletLoss.builder().build();
    }

    static double reference(double[][] e, int[] y, TripletLoss.Mining mining, double margin) {
        double[][] x = Reference.normalizeRows(e);
        double sum = 0;
        int count = 0;
        for (int a = 0; a < x.length; a++) {
            double worstP = -1;
            double bestN = Double.MAX_VALUE;
            for (int p = 0; p < x.length; p++) {
                if (p == a || y[p] != y[a]) {
                    continue;
                }
                double ap = Reference.distance(x[a], x[p]);
                worstP = Math.max(worstP, ap);
                for (int n = 0; n < x.length; n++) {
                    if (y[n] == y[a]) {
                        continue;
                    }
                    double an = Reference.distance(x[a], x[n]);
                    bestN = Math.min(bestN, an);
                    if (mining == TripletLoss.Mining.ALL || (mining == TripletLoss.Mining.SEMI_HARD && an > ap && an < ap + margin)) {
                        sum += Math.max(0, ap - an + margin);
                        count++;
                    }
                }
            }
            if (mining == TripletLoss.Mining.BATCH_HARD && worstP >= 0 && bestN < Double.MAX_VALUE) {
                sum += Math.max(0, worstP - bestN + margin);
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        return reference(v[0], labels, TripletLoss.Mining.BATCH_HARD, 0.2);
    }
}
