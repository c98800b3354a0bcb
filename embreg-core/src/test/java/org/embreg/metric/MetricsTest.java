package org.embreg.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /**
     * Golden NMI values from scikit-learn 1.2 (normalized_mutual_info_score, arithmetic mean):
     * <pre>
     * from sklearn.metrics import normalized_mutual_info_score as nmi
     * nmi([0,0,1,1,2,2], [0,0,1,1,1,1]); nmi([0,0,0,1,1,1], [0,1,0,1,0,1]); nmi([0,1,2,0,1,2,0,1], [1,1,0,0,2,2,0,1])
     * </pre>
     */
    @Test
    void nmiMatchesScikitLearn() {
        assertEquals(0.7336804366512113, Nmi.of(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 1, 1, 1, 1}), 1e-12);
        assertEquals(0.08170416594551037, Nmi.of(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 1, 0, 1, 0, 1}), 1e-12);
        assertEquals(NMI_THIRD, Nmi.of(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, new int[] {1, 1, 0, 0, 2, 2, 0, 1}), 1e-12);
        assertEquals(1.0, Nmi.of(new int[] {3, 3, 5}, new int[] {0, 0, 1}), 1e-12);
    }

    static final double NMI_THIRD = 0.398747820241147;

    static Matrix blobs(int perClass, int classes, int d, double spread, long seed, int[] labelsOut) {
        Random r = new Random(seed);
        float[] x = new float[perClass * classes * d];
        for (int i = 0; i < perClass * classes; i++) {
            int c = i % classes;
            labelsOut[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) ((j == c % d ? 10 * (1 + c / d) : 0) + spread * r.nextGaussian());
            }
        }
        return new Matrix(x, perClass * classes, d);
    }

    @Test
    void kMeansRecoversSeparatedBlobs() {
        int[] y = new int[300];
        Matrix m = blobs(60, 5, 8, 0.5, 3, y);
        try (NDManager manager = NDManager.newBaseManager()) {
            KMeans.Result r = KMeans.withClusters(5, 1).fit(manager, m);
            assertEquals(1.0, Nmi.of(y, r.assignment()), 1e-12);
            double inertia = 0;
            for (int i = 0; i < m.rows(); i++) {
                double[] centre = new double[m.cols()];
                int count = 0;
                for (int j = 0; j < m.rows(); j++) {
                    if (r.assignment()[j] == r.assignment()[i]) {
                        count++;
                        for (int c = 0; c < m.cols(); c++) {
                            centre[c] += m.get(j, c);
                        }
                    }
                }
                for (int c = 0; c < m.cols(); c++) {
                    double v = m.get(i, c) - centre[c] / count;
                    inertia += v * v;
                }
            }
            assertEquals(inertia, r.inertia(), 1e-3 * inertia, "inertia is the sum of squared distances to the cluster means");
        }
    }

    @Test
    void tiledNeighboursMatchOneTile() {
        int[] y = new int[210];
        Matrix m = blobs(30, 7, 6, 6.0, 5, y);
        try (NDManager manager = NDManager.newBaseManager()) {
            int[] one = RecallAtK.nearest(manager, m, 8, 1000);
            for (int tile : new int[] {16, 50, 209}) {
                int[] tiled = RecallAtK.nearest(manager, m, 8, tile);
                for (int i = 0; i < one.length; i++) {
                    int row = i / 8;
                    double a = dist(m, row, one[i]);
                    double b = dist(m, row, tiled[i]);
                    assertEquals(a, b, 1e-4 * (1 + a), "tile " + tile + ", row " + row + ", rank " + (i % 8));
                }
            }
        }
    }

    static double dist(Matrix m, int i, int j) {
        double s = 0;
        for (int c = 0; c < m.cols(); c++) {
            double v = m.get(i, c) - m.get(j, c);
            s += v * v;
        }
        return s;
    }

    @Test
    void recallAtKMatchesBruteForce() {
        int[] y = new int[210];
        Matrix m = blobs(30, 7, 6, 6.0, 4, y);
        int[] ks = {1, 2, 4, 8};
        double[] got;
        try (NDManager manager = NDManager.newBaseManager()) {
            got = RecallAtK.compute(manager, m, y, ks);
        }
        int n = m.rows();
        for (int q = 0; q < ks.length; q++) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                double[] dist = new double[n];
                Integer[] order = new Integer[n];
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int c = 0; c < m.cols(); c++) {
                        double v = m.get(i, c) - m.get(j, c);
                        s += v * v;
                    }
                    dist[j] = j == i ? Double.MAX_VALUE : s;
                    order[j] = j;
                }
                java.util.Arrays.sort(order, (a, b) -> Double.compare(dist[a], dist[b]));
                for (int k = 0; k < ks[q]; k++) {
                    if (y[order[k]] == y[i]) {
                        hits++;
                        break;
                    }
                }
            }
            assertEquals((double) hits / n, got[q], 1e-12, "R@" + ks[q]);
        }
    }
}
