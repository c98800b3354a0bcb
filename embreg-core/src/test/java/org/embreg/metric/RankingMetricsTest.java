package org.embreg.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    /** The rows and labels of src/test/resources/golden/ranking_golden.py: classes of 5, 4, 2, 1, 6, 1 and 4 rows, duplicate rows within and across classes. */
    static final float[] X = {0.0f, 0.3f, -0.27f, -0.89f, -0.45f, -0.99f, 0.06f, 1.34f, -0.49f, -0.62f, 0.49f, 0.36f, -0.89f, -0.45f, -0.99f, 0.7f, -1.34f,
        -0.46f, -1.9f, -1.29f, -1.84f, -0.24f, -1.27f, 0.27f, -1.55f, 0.86f, 0.12f, -0.54f, -0.05f, 0.11f, -1.53f, -0.48f, -0.98f, -0.81f, 1.06f, -0.81f,
        -0.03f, 0.88f, -0.58f, -0.11f, 0.11f, 0.06f, -1.23f, 0.08f, 1.36f, -1.55f, 0.86f, 0.12f, -0.64f, 2.0f, 0.76f, -1.2f, 0.07f, 0.58f, -0.19f, 0.68f,
        -0.07f, 0.67f, 1.44f, -0.68f, 0.2f, -0.46f, 0.13f, -1.19f, -0.58f, -0.2f, 0.5f, 0.5f, 0.5f};
    static final int[] Y = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 6};

    /** Golden values from ranking_golden.py (numpy, float64 brute force; pytorch-metric-learning's definitions). */
    @Test
    void matchesTheGoldenValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NeighbourMetrics.Result r = NeighbourMetrics.compute(manager, new Matrix(X, 23, 3), Y, new int[] {1});
            assertEquals(0.14285714285714285, r.ranking().precisionAt1(), 1e-15);
            assertEquals(0.3333333333333333, r.ranking().meanReciprocalRank(), 1e-15);
            assertEquals(0.28809523809523807, r.ranking().meanAveragePrecision(), 1e-15);
            assertEquals(21, r.ranking().queries(), "the two classes of one row are left out");
            assertEquals(1.0 / 23 * 3, r.recallAt()[0], 1e-15, "Recall@1 counts every row, the lone ones as misses");
        }
    }

    /** By hand: points 0, 1, 3, 10 on a line, labels a a b a. Depth 3 (class a). */
    @Test
    void matchesAHandCheckedCase() {
        // query 0: 1 (a), 3 (b), 10 (a): P@1 1, RR 1, AP (1 + 2/3) / 2
        // query 1: 0 (a), 3 (b), 10 (a): 1, 1, (1 + 2/3) / 2
        // query 3: lone class b, left out
        // query 10: 3 (b), 1 (a), 0 (a): 0, 1/2, (1/2 + 2/3) / 2
        int[] nearest = {1, 2, 3, 0, 2, 3, 1, 0, 3, 2, 1, 0};
        RankingMetrics.Result r = RankingMetrics.fromNeighbours(nearest, 3, new int[] {0, 0, 1, 0});
        assertEquals(2.0 / 3, r.precisionAt1(), 1e-15);
        assertEquals(2.5 / 3, r.meanReciprocalRank(), 1e-15);
        assertEquals(((1 + 2.0 / 3) + (1 + 2.0 / 3) + (0.5 + 2.0 / 3)) / 2 / 3, r.meanAveragePrecision(), 1e-15);
        assertEquals(3, r.queries());
    }

    @Test
    void refusesASearchShorterThanTheList() {
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.fromNeighbours(new int[] {1, 0, 1}, 1, new int[] {0, 0, 0}));
    }

    @Test
    void onlyLoneClassesGiveZeroQueries() {
        RankingMetrics.Result r = RankingMetrics.fromNeighbours(new int[] {1, 0}, 1, new int[] {0, 1});
        assertEquals(0, r.queries());
    }
}
