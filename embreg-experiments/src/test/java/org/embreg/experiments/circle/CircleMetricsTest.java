package org.embreg.experiments.circle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

/** The angle entropy and the 1-NN accuracy on hand-made points, against values worked out by hand. */
class CircleMetricsTest {
    /** Unit vectors at the given angles in degrees. */
    private static float[] at(double... degrees) {
        float[] xy = new float[2 * degrees.length];
        for (int i = 0; i < degrees.length; i++) {
            xy[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            xy[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return xy;
    }

    @Test
    void evenlySpreadAnglesHaveEntropyOne() {
        double[] a = new double[360];
        for (int i = 0; i < a.length; i++) {
            a[i] = -180 + i + 0.5; // 10 points in each 10-degree bin
        }
        assertEquals(1.0, CircleMetrics.angleEntropy(at(a)), 1e-12);
    }

    @Test
    void clumpedAnglesHaveLowEntropy() {
        assertEquals(0.0, CircleMetrics.angleEntropy(at(31, 32, 33, 34, 35)), 1e-12);
        // half in one bin, half in another: log 2 / log 36
        assertEquals(Math.log(2) / Math.log(36), CircleMetrics.angleEntropy(at(1, 2, 3, 91, 92, 93)), 1e-12);
        // 4 bins with 1, 1, 1, 3 points of 6: -(3 * 1/6 log 1/6 + 1/2 log 1/2) / log 36
        double h = -(3 * (1.0 / 6) * Math.log(1.0 / 6) + 0.5 * Math.log(0.5));
        assertEquals(h / Math.log(36), CircleMetrics.angleEntropy(at(5, 45, 95, 135, 136, 137)), 1e-12);
    }

    @Test
    void entropyRefusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> CircleMetrics.angleEntropy(new float[0]));
        assertThrows(IllegalArgumentException.class, () -> CircleMetrics.angleEntropy(new float[] {1, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> CircleMetrics.angleEntropy(at(1), 1));
    }

    @Test
    void nearestNeighbourAccuracyOfSeparatedAndOfInterleavedClasses() {
        try (NDManager m = NDManager.newBaseManager()) {
            // two classes on opposite arcs: every point's nearest other point is its own class
            Matrix separated = new Matrix(at(0, 5, 10, 180, 185, 190), 6, 2);
            assertEquals(1.0, CircleMetrics.nearestNeighbourAccuracy(m, separated, new int[] {0, 0, 0, 1, 1, 1}), 1e-12);
            // alternating classes at 0, 10, 20, ... degrees: every nearest neighbour has the other class
            Matrix interleaved = new Matrix(at(0, 10, 20, 30, 40, 50), 6, 2);
            // endpoints: 0's neighbour is 10 (other), 50's is 40 (other); inner points tie between two others
            assertEquals(0.0, CircleMetrics.nearestNeighbourAccuracy(m, interleaved, new int[] {0, 1, 0, 1, 0, 1}), 1e-12);
            // three of four right: A A B at 0, 10, 100 and B at 200 -> 0 ok, 10 ok, 100's nearest is 10 (A, wrong), 200's is 100 (B, ok)
            Matrix mixed = new Matrix(at(0, 10, 100, 200), 4, 2);
            assertEquals(0.75, CircleMetrics.nearestNeighbourAccuracy(m, mixed, new int[] {0, 0, 1, 1}), 1e-12);
        }
    }
}
