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
        long[] ct = new long[ti.size()];
        long[] cp = new long[pi.size()];
        for (int i = 0; i < n; i++) {
            int a = ti.get(truth[i]);
            int b = pi.get(predicted[i]);
            joint[a][b]++;
            ct[a]++;
            cp[b]++;
        }
        double ht = entropy(ct, n);
        double hp = entropy(cp, n);
        if (ti.size() == 1 && pi.size() == 1) {
            return 1.0;
        }
        if (ht == 0 || hp == 0) {
            return 0.0;
        }
        double mi = 0;
        for (int a = 0; a < ct.length; a++) {
            for (int b = 0; b < cp.length; b++) {
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

    private static double entropy(long[] counts, int n) {
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
