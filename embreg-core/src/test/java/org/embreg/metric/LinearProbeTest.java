package org.embreg.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.embreg.data.Matrix;
import org.junit.jupiter.api.Test;

/** The linear probe on synthetic sets whose best linear accuracy is known. */
class LinearProbeTest {
    /** n points in d dimensions: class i % k has mean (shift along axis class), unit noise. */
    private static Matrix points(int n, int d, int k, double shift, long seed, int[] labels) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int c = 0; c < d; c++) {
                v[i * d + c] = (float) (r.nextGaussian() + (c == labels[i] ? shift : 0) + 5.0);
            }
        }
        return new Matrix(v, n, d);
    }

    @Test
    void separatesLinearlySeparableClassesAndRepeatsBySeed() {
        int[] y = new int[900];
        int[] yt = new int[300];
        // means 8 apart along distinct axes: the classes overlap with probability ~ 2e-8
        Matrix train = points(900, 6, 3, 8, 1, y);
        Matrix test = points(300, 6, 3, 8, 2, yt);
        try (NDManager m = NDManager.newBaseManager()) {
            double a = LinearProbe.standard(7).top1(m, train, y, test, yt);
            assertEquals(1.0, a, 1e-12);
            // no signal: chance level
            Matrix noise = points(900, 6, 3, 0, 4, new int[900]);
            Matrix noiseTest = points(300, 6, 3, 0, 5, new int[300]);
            double chance = new LinearProbe(5, 128, 0.1, 7).top1(m, noise, y, noiseTest, yt);
            assertTrue(chance > 0.2 && chance < 0.47, "chance level near 1/3, got " + chance);
            assertEquals(chance, new LinearProbe(5, 128, 0.1, 7).top1(m, noise, y, noiseTest, yt), 0.0);
            assertThrows(IllegalArgumentException.class, () -> LinearProbe.standard(1).top1(m, train, new int[3], test, yt));
            assertThrows(IllegalArgumentException.class, () -> new LinearProbe(0, 1, 0.1, 1));
        }
    }
}
