package org.embreg.metric;

import java.util.HashMap;
import java.util.Map;

/**
 * Normalized mutual information between two labellings, normalized by the arithmetic mean of the
 * entropies: NMI = I(Y; C) / ((H(Y) + H(C)) / 2), scikit-learn's default (Tribuo normalizes by the
 * minimum instead). 1 when either labelling is constant and both are identical, 0 when one is
 * constant and the other is not.
 */
public final class Nmi {
    private Nmi() {}

    public static double of(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("labellings differ in length: " + truth.length + " vs " + predicted.length);
        }
        int n = truth.length;
        Map<Integer, Integer> ti = index(truth);
        Map<Integer, Integer> pi = index(predicted);
        long[][] joint = new long[ti.size()][pi.size()];
        for (int i = 0; i < n; i++) {
            joint[ti.get(truth[i])][pi.get(predicted[i])]++;
        }
        return fromContingency(joint);
    }

    /**
     * NMI from a contingency table already counted (for example on a cluster): {@code joint[a][b]}
     * items of class a in cluster b. Every row and column present counts as a label, even if empty.
     */
    public static double fromContingency(long[][] joint) {
        int rows = joint.length;
        int cols = rows == 0 ? 0 : joint[0].length;
        long[] ct = new long[rows];
        long[] cp = new long[cols];
        long total = 0;
        for (int a = 0; a < rows; a++) {
            for (int b = 0; b < cols; b++) {
                ct[a] += joint[a][b];
                cp[b] += joint[a][b];
                total += joint[a][b];
            }
        }
        double n = total;
        double ht = entropy(ct, n);
        double hp = entropy(cp, n);
        if (rows == 1 && cols == 1) {
            return 1.0;
        }
        if (ht == 0 || hp == 0) {
            return 0.0;
        }
        double mi = 0;
        for (int a = 0; a < rows; a++) {
            for (int b = 0; b < cols; b++) {
                long j = joint[a][b];
                if (j > 0) {
                    mi += (double) j / n * Math.log((double) j * n / ((double) ct[a] * cp[b]));
                }
            }
        }
        return Math.max(0, mi) / ((ht + hp) / 2);
    }

    private static Map<Integer, Integer> index(int[] labels) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int v : labels) {
            m.putIfAbsent(v, m.size());
        }
        return m;
    }

    private static double entropy(long[] counts, double n) {
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }
}
