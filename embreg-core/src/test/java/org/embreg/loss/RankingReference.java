package org.embreg.loss;

import java.util.ArrayList;
import java.util.List;
import org.embreg.testing.Reference;

/** Brute-force loops for the N-pair, angular and lifted structured losses. */
final class RankingReference {
    private RankingReference() {}

    static List<int[]> pairs(int[] y) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < y.length; i += 2) {
            if (y[i] == y[i + 1]) {
                out.add(new int[] {i, i + 1});
            }
        }
        return out;
    }

    static double npair(double[][] e, int[] y) {
        double[][] x = Reference.normalizeRows(e);
        List<int[]> pairs = pairs(y);
        if (pairs.isEmpty()) {
            return 0;
        }
        double total = 0;
        for (int[] k : pairs) {
            double sum = 0;
            for (int[] j : pairs) {
                if (j != k && y[j[1]] == y[k[0]]) {
                    continue;
                }
                sum += Math.exp(Reference.dot(x[k[0]], x[j[1]]));
            }
            total += Math.log(sum) - Reference.dot(x[k[0]], x[k[1]]);
        }
        return total / pairs.size();
    }

    static double angular(double[][] e, int[] y, double alphaDegrees) {
        double[][] x = Reference.normalizeRows(e);
        double t2 = Math.pow(Math.tan(Math.toRadians(alphaDegrees)), 2);
        double total = 0;
        int count = 0;
        for (int[] k : pairs(y)) {
            double[] a = x[k[0]];
            double[] p = x[k[1]];
            double sum = 0;
            boolean any = false;
            for (int n = 0; n < x.length; n++) {
                if (y[n] == y[k[0]]) {
                    continue;
                }
                any = true;
                double apn = 0;
                for (int c = 0; c < a.length; c++) {
                    apn += (a[c] + p[c]) * x[n][c];
                }
                sum += Math.exp(4 * t2 * apn - 2 * (1 + t2) * Reference.dot(a, p));
            }
            if (any) {
                total += Math.log(1 + sum);
                count++;
            }
        }
        return count == 0 ? 0 : total / count;
    }

    static double lifted(double[][] e, int[] y, double margin) {
        double[][] x = Reference.normalizeRows(e);
        int b = x.length;
        double total = 0;
        int positives = 0;
        boolean twoClasses = false;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                twoClasses |= y[i] != y[j];
            }
        }
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                if (y[i] != y[j]) {
                    continue;
                }
                positives++;
                double s = 0;
                for (int k = 0; k < b; k++) {
                    if (y[k] != y[i]) {
                        s += Math.exp(margin - Reference.distance(x[i], x[k]));
                    }
                    if (y[k] != y[j]) {
                        s += Math.exp(margin - Reference.distance(x[j], x[k]));
                    }
                }
                if (twoClasses) {
                    double jv = Math.log(s) + Reference.distance(x[i], x[j]);
                    total += Math.pow(Math.max(0, jv), 2);
                }
            }
        }
        return positives == 0 || !twoClasses ? 0 : total / (2.0 * positives);
    }
}
