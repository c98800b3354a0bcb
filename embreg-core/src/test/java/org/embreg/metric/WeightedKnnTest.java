package org.embreg.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

/** The weighted k-NN classifier against a brute-force one written here in double precision. */
class WeightedKnnTest {
    /** Brute force: cosine similarities, the k largest (a stable sort: the smaller index first on a tie), exp(s / T) votes. */
    static int[] bruteForce(Matrix train, int[] y, Matrix test, int k, double t, int classes) {
        int[] out = new int[test.rows()];
        for (int i = 0; i < test.rows(); i++) {
            double[] s = new double[train.rows()];
            Integer[] order = new Integer[train.rows()];
            for (int j = 0; j < train.rows(); j++) {
                double dot = 0;
                double a = 0;
                double b = 0;
                for (int c = 0; c < train.cols(); c++) {
                    dot += (double) test.get(i, c) * train.get(j, c);
                    a += (double) test.get(i, c) * test.get(i, c);
                    b += (double) train.get(j, c) * train.get(j, c);
                }
                s[j] = dot / Math.sqrt(a) / Math.sqrt(b);
                order[j] = j;
            }
            java.util.Arrays.sort(order, (p, q) -> Double.compare(s[q], s[p]));
            double[] votes = new double[classes];
            for (int j = 0; j < k; j++) {
                votes[y[order[j]]] += Math.exp(s[order[j]] / t);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    private static Matrix clusters(int n, int d, int[] labels, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                v[i * d + c] = (float) (r.nextGaussian() + (c == labels[i] % d ? 1.5 : 0));
            }
        }
        return new Matrix(v, n, d);
    }

    @Test
    void agreesWithBruteForce() {
        int classes = 5;
        int[] y = new int[600];
        int[] yt = new int[300];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % classes;
        }
        for (int i = 0; i < yt.length; i++) {
            yt[i] = (i * 7) % classes;
        }
        Matrix train = clusters(600, 8, y, 1);
        Matrix test = clusters(300, 8, yt, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int k : new int[] {1, 5, 20}) {
                int[] got = WeightedKnn.predict(m, train, y, test, k, 0.07);
                assertArrayEquals(bruteForce(train, y, test, k, 0.07, classes), got, "k = " + k);
            }
            double acc = WeightedKnn.top1(m, train, y, test, yt);
            int[] expected = bruteForce(train, y, test, 20, 0.07, classes);
            int hits = 0;
            for (int i = 0; i < yt.length; i++) {
                hits += expected[i] == yt[i] ? 1 : 0;
            }
            assertEquals((double) hits / yt.length, acc, 1e-12);
            assertThrows(IllegalArgumentException.class, () -> WeightedKnn.predict(m, train, y, test, 601, 0.07));
            assertThrows(IllegalArgumentException.class, () -> WeightedKnn.predict(m, train, y, test, 5, 0));
            assertThrows(IllegalArgumentException.class, () -> WeightedKnn.predict(m, train, y, new Matrix(new float[6], 2, 3), 5, 0.07));
        }
    }
}
