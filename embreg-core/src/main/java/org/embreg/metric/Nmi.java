package org.embreg.metric;

import java.util.HashMap;
import java.util.Map;

/**
 * Normalized mutual information between two labellings, normalized by the arithmetic mean of the
 * entropies: NMI = I(Y; C) / ((H(Y) + H(C)) / 2), scikit-learn's default (Tribuo normalizes by the
 * minimum instead). 1 when either labelling is constant and both are identical, 0 when one is
 * constant and the other is not. Also the adjusted mutual information (Vinh, Epps and Bailey 2010),
 * corrected for chance with the exact expected MI under the hypergeometric model, as
 * scikit-learn's {@code adjusted_mutual_info_score} (arithmetic mean).
 */
public final class Nmi {
    private Nmi() {}

    public static double of(int[] truth, int[] predicted) {
        return fromContingency(contingency(truth, predicted));
    }

    /**
     * NMI from a contingency table already counted (for example on a cluster): {@code joint[a][b]}
     * items of class a in cluster b. Every row and column present counts as a label, even if empty.
     */
    public static double fromContingency(long[][] joint) {
        Margins m = Margins.of(joint);
        double ht = entropy(m.rows(), m.n());
        double hp = entropy(m.cols(), m.n());
        if (m.rows().length == 1 && m.cols().length == 1) {
            return 1.0;
        }
        if (ht == 0 || hp == 0) {
            return 0.0;
        }
        return Math.max(0, m.mutualInformation(joint)) / ((ht + hp) / 2);
    }

    /** The row and column sums of a contingency table and its total. */
    private record Margins(long[] rows, long[] cols, long total) {
        static Margins of(long[][] joint) {
            int r = joint.length;
            int c = r == 0 ? 0 : joint[0].length;
            long[] ct = new long[r];
            long[] cp = new long[c];
            long total = 0;
            for (int a = 0; a < r; a++) {
                for (int b = 0; b < c; b++) {
                    ct[a] += joint[a][b];
                    cp[b] += joint[a][b];
                    total += joint[a][b];
                }
            }
            return new Margins(ct, cp, total);
        }

        double n() {
            return total;
        }

        /** I(Y; C) in nats. */
        double mutualInformation(long[][] joint) {
            double n = total;
            double mi = 0;
            for (int a = 0; a < rows.length; a++) {
                for (int b = 0; b < cols.length; b++) {
                    long j = joint[a][b];
                    if (j > 0) {
                        mi += (double) j / n * Math.log((double) j * n / ((double) rows[a] * cols[b]));
                    }
                }
            }
            return mi;
        }
    }

    /** Adjusted mutual information of two labellings (see {@link #amiFromContingency}). */
    public static double ami(int[] truth, int[] predicted) {
        return amiFromContingency(contingency(truth, predicted));
    }

    /**
     * AMI = (I - E[I]) / (mean(H(Y), H(C)) - E[I]) from a contingency table: 1 for identical
     * labellings (and when both have one label), about 0 for independent ones, negative below chance.
     * E[I] sums each cell's hypergeometric distribution outwards from its mode until the terms no
     * longer change the sum, so it costs about the square root of the counts per cell, not the
     * counts themselves.
     */
    public static double amiFromContingency(long[][] joint) {
        int rows = joint.length;
        int cols = rows == 0 ? 0 : joint[0].length;
        if (rows <= 1 && cols <= 1 || rows == 0 || cols == 0) {
            return 1.0;
        }
        Margins m = Margins.of(joint);
        double mi = m.mutualInformation(joint);
        double emi = 0;
        for (long a : m.rows()) {
            for (long b : m.cols()) {
                emi += expectedCellMi(a, b, m.total());
            }
        }
        double denominator = (entropy(m.rows(), m.n()) + entropy(m.cols(), m.n())) / 2 - emi;
        double eps = Math.ulp(1.0);
        denominator = denominator < 0 ? Math.min(denominator, -eps) : Math.max(denominator, eps);
        return (mi - emi) / denominator;
    }

    /** E[nij/N log(N nij / (a b))] for nij hypergeometric (N items, a of them in the row, b drawn). */
    private static double expectedCellMi(long a, long b, long total) {
        long lo = Math.max(1, a + b - total);
        long hi = Math.min(a, b);
        if (lo > hi) {
            return 0;
        }
        double n = total;
        long mode = Math.min(hi, Math.max(lo, (long) Math.floor((a + 1.0) * (b + 1.0) / (n + 2))));
        double logP = logChoose(a, mode) + logChoose(total - a, b - mode) - logChoose(total, b);
        double pMode = Math.exp(logP);
        double sum = pMode * term(mode, a, b, n);
        double p = pMode;
        for (long k = mode; k < hi; k++) {
            // P(k + 1) / P(k) = (a - k)(b - k) / ((k + 1)(N - a - b + k + 1))
            p *= (double) (a - k) * (b - k) / ((k + 1.0) * (total - a - b + k + 1.0));
            double t = p * term(k + 1, a, b, n);
            sum += t;
            if (p < pMode * 1e-18) {
                break;
            }
        }
        p = pMode;
        for (long k = mode; k > lo; k--) {
            p *= k * (total - a - b + (double) k) / ((double) (a - k + 1) * (b - k + 1));
            double t = p * term(k - 1, a, b, n);
            sum += t;
            if (p < pMode * 1e-18) {
                break;
            }
        }
        return sum;
    }

    private static double term(long k, long a, long b, double n) {
        return k / n * Math.log(n * k / ((double) a * b));
    }

    private static double logChoose(long n, long k) {
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /** ln n!: summed below 30, Stirling's series (error below 1e-16 relative) from 30 on. */
    static double logFactorial(long n) {
        if (n < 30) {
            double s = 0;
            for (int i = 2; i <= n; i++) {
                s += Math.log(i);
            }
            return s;
        }
        double x = n;
        double inv = 1 / x;
        double inv2 = inv * inv;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }

    private static long[][] contingency(int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("labellings differ in length: " + truth.length + " vs " + predicted.length);
        }
        Map<Integer, Integer> ti = index(truth);
        Map<Integer, Integer> pi = index(predicted);
        long[][] joint = new long[ti.size()][pi.size()];
        for (int i = 0; i < truth.length; i++) {
            joint[ti.get(truth[i])][pi.get(predicted[i])]++;
        }
        return joint;
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
