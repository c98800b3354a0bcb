package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingsTest {
    /** Exact squared distances in double, by the differences. */
    static double[] reference(double[][] x) {
        int b = x.length;
        double[] d = new double[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < b; j++) {
                double s = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double t = x[i][k] - x[j][k];
                    s += t * t;
                }
                d[i * b + j] = s;
            }
        }
        return d;
    }

    static double[][] unitRows(int b, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[b][d];
        for (double[] row : x) {
            double n = 0;
            for (int k = 0; k < d; k++) {
                row[k] = r.nextGaussian();
                n += row[k] * row[k];
            }
            for (int k = 0; k < d; k++) {
                row[k] /= Math.sqrt(n);
            }
        }
        return x;
    }

    static NDArray create(NDManager m, double[][] x, DataType type) {
        double[] flat = new double[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
        }
        return m.create(flat, new Shape(x.length, x[0].length)).toType(type, false);
    }

    @Test
    void farApartRowsMatchTheExactDistancesAndTheirGradient() {
        double[][] x = unitRows(12, 6, 3);
        double[] want = reference(x);
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            double tol = type == DataType.FLOAT64 ? 1e-12 : 1e-5;
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray fast = create(m, x, type);
                NDArray exact = create(m, x, type);
                fast.setRequiresGradient(true);
                exact.setRequiresGradient(true);
                double[][] host = new double[1][];
                NDArray w = m.randomUniform(0, 1, new Shape(12, 12)).toType(type, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    Embeddings.SquaredDistances both = Embeddings.squaredDistancesWithHostCopy(fast);
                    NDArray d = both.values();
                    host[0] = both.host();
                    assertArrayEquals(want, d.toType(DataType.FLOAT64, false).toDoubleArray(), tol, type.toString());
                    gc.backward(d.mul(w).sum());
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(Embeddings.squaredDistances(exact).mul(w).sum());
                }
                assertArrayEquals(want, host[0], tol, "host copy, " + type);
                for (int i = 0; i < 12; i++) {
                    assertEquals(0.0, Math.abs(host[0][i * 12 + i]), "the diagonal is exactly zero");
                }
                assertArrayEquals(exact.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(),
                        fast.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), tol * 10, "gradient, " + type);
            }
        }
    }

    @Test
    void nearDuplicateRowsKeepTheirSmallDistanceInFloat32() {
        double[][] x = unitRows(5, 8, 4);
        x[1] = x[0].clone();
        x[1][0] += 1e-4; // squared distance 1e-8: the Gram form's rounding (about 1e-7) would swamp it
        double[] want = reference(x);
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] host = new double[1][];
            Embeddings.SquaredDistances both = Embeddings.squaredDistancesWithHostCopy(create(m, x, DataType.FLOAT32));
            host[0] = both.host();
            double[] got = both.values().toType(DataType.FLOAT64, false).toDoubleArray();
            assertEquals(want[1], got[1], 1e-2 * want[1], "the close pair");
            assertEquals(want[5], host[0][5], 1e-2 * want[5], "the close pair on the host");
            assertArrayEquals(want, got, 1e-5);
        }
    }
}
