package org.embreg.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Golden values: src/test/resources/golden/ami_golden.py (scikit-learn's adjusted_mutual_info_score). */
    @Test
    void amiMatchesScikitLearn() {
        assertEquals(0.6153846153846159, Nmi.ami(new int[] {0, 0, 1, 1, 2, 2}, new int[] {0, 0, 1, 1, 1, 1}), 1e-12);
        assertEquals(-0.11111111111111109, Nmi.ami(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 1, 0, 1, 0, 1}), 1e-12);
        assertEquals(0.07271978991886598, Nmi.ami(new int[] {0, 1, 2, 0, 1, 2, 0, 1}, new int[] {1, 1, 0, 0, 2, 2, 0, 1}), 1e-12);
        assertEquals(1.0, Nmi.ami(new int[] {3, 3, 5}, new int[] {0, 0, 1}), 1e-12);
        assertEquals(1.0, Nmi.ami(new int[] {0, 0, 0, 0}, new int[] {1, 1, 1, 1}), 1e-12);
        int n = 3000;
        int[] t = new int[n];
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 7;
            p[i] = i % 5 < 3 ? i % 7 : (i * i) % 4;
        }
        assertEquals(0.5082406165866873, Nmi.ami(t, p), 1e-11);
        n = 200_000;
        t = new int[n];
        p = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 10;
            p[i] = i % 7 == 0 ? (i / 10) % 10 : i % 10;
        }
        assertEquals(0.710657631401593, Nmi.ami(t, p), 1e-11);
    }

    /** One search for every metric gives what the separate searches give: duplicates, a singleton class and a large class included. */
    @Test
    void oneNeighbourSearchServesRecallAndMapAtR() {
        int[] y = new int[300];
        Matrix m = blobs(50, 6, 5, 1.0, 4, y);
        System.arraycopy(m.data(), 7 * 5, m.data(), 8 * 5, 5); // rows 7 and 8 identical
        y[299] = 99; // a class of one
        for (int i = 0; i < 40; i++) {
            y[100 + i] = 0; // class 0 grows to about 90, so the search is longer than any K
        }
        Matrix x = m.normalizedRows();
        int[] ks = {1, 2, 4, 8};
        try (NDManager manager = NDManager.newBaseManager()) {
            NeighbourMetrics.Result one = NeighbourMetrics.compute(manager, x, y, ks);
            assertArrayEquals(RecallAtK.compute(manager, x, y, ks), one.recallAt());
            assertEquals(MapAtR.compute(manager, x, y), one.map());
            assertTrue(one.map().mapAtR() > 0 && one.map().mapAtR() < 1, one.toString());
        }
    }

    @Test
    void logFactorialIsExactAcrossTheSeriesBoundary() {
        double direct = 0;
        for (int i = 2; i <= 200; i++) {
            direct += Math.log(i);
            assertEquals(direct, Nmi.logFactorial(i), 1e-12 * direct, "ln " + i + "!");
        }
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

    /**
     * The search equals a brute-force exact ranking (ties by the lower index) whatever the tile size and whichever scan
     * rejects entries (vector API or plain loops): duplicate rows, a row repeated five times, 31 equal rows (more ties
     * at the boundary than candidates kept, so those rows are ranked against all),
     * tiles that do not divide N, k from 1 up to N - 1.
     */
    @Test
    void neighboursMatchBruteForceForEveryTileAndScan() {
        int[] y = new int[210];
        Matrix m = blobs(30, 7, 6, 3.0, 9, y);
        for (int copy = 1; copy <= 4; copy++) {
            System.arraycopy(m.data(), 11 * 6, m.data(), (11 + 40 * copy) * 6, 6);
        }
        System.arraycopy(m.data(), 3 * 6, m.data(), 4 * 6, 6);
        for (int row = 100; row < 130; row++) {
            System.arraycopy(m.data(), 99 * 6, m.data(), row * 6, 6); // 31 equal rows: more ties than candidates kept
        }
        assertTrue(TileScans.VECTOR, "the tests run with the vector API (surefire adds jdk.incubator.vector)");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertArrayEquals(bruteForce(m, 40), RecallAtK.nearestByLabel(manager, m, y, 40), "rows visited by label");
            for (int k : new int[] {1, 8, 209}) {
                int[] expected = bruteForce(m, k);
                for (int tile : new int[] {16, 50, 209, 1000}) {
                    for (TileScan scan : new TileScan[] {new VectorTileScan(), new ScalarTileScan()}) {
                        assertArrayEquals(expected, RecallAtK.nearest(manager, m, k, tile, scan, RecallAtK.identity(m.rows())),
                                "k " + k + ", tile " + tile + ", " + scan.getClass().getSimpleName());
                    }
                    int[] reversed = new int[m.rows()];
                    for (int p = 0; p < reversed.length; p++) {
                        reversed[p] = reversed.length - 1 - p;
                    }
                    assertArrayEquals(expected, RecallAtK.nearest(manager, m, k, tile, TileScan.fastest(), reversed), "k " + k + ", tile " + tile + ", rows visited in reverse");
                }
            }
        }
    }

    @Test
    void refusesANonFiniteRowAndAnImpossibleK() {
        Matrix m = new Matrix(new float[] {0, 1, 2, Float.NaN, 4, 5}, 3, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException nan = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RecallAtK.nearest(manager, m, 1));
            assertTrue(nan.getMessage().contains("row 1"), nan.getMessage());
            Matrix ok = new Matrix(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RecallAtK.nearest(manager, ok, 3));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> RecallAtK.nearest(manager, ok, 0));
        }
    }

    /** Each row's k nearest others by the exact double distance, ties by the lower index (all pairs, sorted). */
    static int[] bruteForce(Matrix m, int k) {
        int n = m.rows();
        int[] out = new int[n * k];
        for (int i = 0; i < n; i++) {
            final int row = i;
            Integer[] others = new Integer[n - 1];
            for (int j = 0, at = 0; j < n; j++) {
                if (j != i) {
                    others[at++] = j;
                }
            }
            java.util.Arrays.sort(others, (a, b) -> {
                int cmp = Double.compare(dist(m, row, a), dist(m, row, b));
                return cmp != 0 ? cmp : Integer.compare(a, b);
            });
            for (int j = 0; j < k; j++) {
                out[i * k + j] = others[j];
            }
        }
        return out;
    }

    static double dist(Matrix m, int i, int j) {
        double s = 0;
        for (int c = 0; c < m.cols(); c++) {
            double v = m.get(i, c) - m.get(j, c);
            s += v * v;
        }
        return s;
    }

    /**
     * MAP@R against a hand-checked case: 1-D points 0, 1, 2, 10, 11 with labels a, b, a, b, b.
     * Query 0 (R = 1): nearest is 1 (b): AP 0, RP 0. Query 1 (R = 2): nearest 0 (a), 2 (a): 0, 0.
     * Query 2 (R = 1): nearest 1 (b): 0, 0. Query 10 (R = 2): 11 (b), 2 (a): AP (1/1)/2 = 0.5, RP 0.5.
     * Query 11 (R = 2): 10 (b), 2 (a): 0.5, 0.5. MAP@R = 1.0 / 5 = 0.2, R-precision = 0.2.
     */
    @Test
    void mapAtRMatchesAHandCheckedCase() {
        Matrix m = new Matrix(new float[] {0, 1, 2, 10, 11}, 5, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            MapAtR.Result r = MapAtR.compute(manager, m, new int[] {0, 1, 0, 1, 1});
            assertEquals(0.2, r.mapAtR(), 1e-12);
            assertEquals(0.2, r.rPrecision(), 1e-12);
            assertEquals(5, r.queries());
        }
    }

    @Test
    void mapAtRIsOneForSeparatedClassesAndBelowForOverlap() {
        int[] y = new int[210];
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(1.0, MapAtR.compute(manager, blobs(30, 7, 8, 0.1, 6, y), y).mapAtR(), 1e-12);
            MapAtR.Result noisy = MapAtR.compute(manager, blobs(30, 7, 8, 8.0, 6, y), y);
            assertEquals(true, noisy.mapAtR() < noisy.rPrecision() + 1e-12 && noisy.mapAtR() < 0.9, noisy.toString());
        }
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
