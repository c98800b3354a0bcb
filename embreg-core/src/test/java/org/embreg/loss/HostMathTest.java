package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HostMathTest {
    /** Values across exp's range, its edges (underflow to subnormals and 0, overflow to infinity) and -infinity. */
    private static double[] values() {
        Random r = new Random(3);
        double[] a = new double[1003];
        for (int i = 0; i < 900; i++) {
            a[i] = r.nextGaussian() * 20;
        }
        double[] edges = {0, -0.0, 1e-300, -1e-300, 709.78, 709.79, 800, -700, -708.5, -720, -745.1, -746, -1e308,
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 1, -1, 0.5};
        System.arraycopy(edges, 0, a, 900, edges.length);
        for (int i = 900 + edges.length; i < a.length; i++) {
            a[i] = -i / 10.0;
        }
        return a;
    }

    /**
     * Both exponentials give the same bits, before and after the JIT compiles them (the vector one runs many times in
     * between), and lie within two ulps of Math.exp; 0 for -infinity and below the range, infinity above it, NaN for NaN.
     */
    @Test
    void bothExponentialsGiveTheSameBitsWithinTwoUlpsOfMath() {
        assertTrue(HostMath.VECTOR, "the tests run with the vector API (surefire adds jdk.incubator.vector)");
        HostMath vector = new VectorHostMath();
        HostMath plain = new PlainHostMath();
        for (int round = 0; round < 2; round++) {
            // ranges that start and end inside a lane group, so that both full groups and the masked tail are exercised
            for (int[] range : new int[][] {{0, 1003}, {3, 1000}, {5, 6}, {7, 7}}) {
                double[] x = values();
                double[] v = x.clone();
                double[] p = x.clone();
                vector.exp(v, range[0], range[1]);
                plain.exp(p, range[0], range[1]);
                for (int i = 0; i < x.length; i++) {
                    String where = "round " + round + ", at " + i + " (x = " + x[i] + ")";
                    assertEquals(Double.doubleToRawLongBits(p[i]), Double.doubleToRawLongBits(v[i]), "the same bits: " + where);
                    if (i < range[0] || i >= range[1]) {
                        assertEquals(x[i], v[i], 0, "outside the range, untouched: " + where);
                        continue;
                    }
                    double expected = Math.exp(x[i]);
                    if (Double.isNaN(expected) || Double.isInfinite(expected) || expected == 0) {
                        assertEquals(expected, v[i], 0, where);
                    } else {
                        assertEquals(expected, v[i], 2 * Math.ulp(expected), where);
                    }
                }
            }
            // enough calls for the JIT to compile both (the assertions above run again on compiled code)
            double[] work = values();
            for (int k = 0; k < 20_000; k++) {
                System.arraycopy(values(), 0, work, 0, work.length);
                vector.exp(work, 0, work.length);
                plain.exp(work, 0, 50);
            }
        }
        double[] dense = new double[200_001];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = -745 + i * (1455.0 / (dense.length - 1));
        }
        double[] v = dense.clone();
        vector.exp(v, 0, v.length);
        double worst = 0;
        for (int i = 0; i < dense.length; i++) {
            double expected = Math.exp(dense[i]);
            if (expected > Double.MIN_NORMAL && !Double.isInfinite(expected)) {
                worst = Math.max(worst, Math.abs(v[i] - expected) / Math.ulp(expected));
            }
        }
        assertTrue(worst <= 2, "within two ulps of Math.exp over [-745, 710]: worst " + worst + " ulps");
    }

    /** The four running sums give the sum of every range, whatever its length modulo four. */
    @Test
    void sumOfEveryRange() {
        double[] a = new double[23];
        Random r = new Random(9);
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        for (int from = 0; from < 5; from++) {
            for (int to = from; to <= a.length; to++) {
                double want = 0;
                for (int i = from; i < to; i++) {
                    want += a[i];
                }
                assertEquals(want, HostMath.sum(a, from, to), 1e-13, "sum of [" + from + ", " + to + ")");
            }
        }
    }

    /** Nothing used and no extra term: an empty softmax, all zeros, log-sum-exp -infinity (not NaN). */
    @Test
    void softmaxOfNothing() {
        for (HostMath math : new HostMath[] {new VectorHostMath(), new PlainHostMath()}) {
            double[] z = {1, 2, 3};
            assertEquals(Double.NEGATIVE_INFINITY, math.softmax(z, new boolean[3], false));
            org.junit.jupiter.api.Assertions.assertArrayEquals(new double[3], z);
            z = new double[] {1, 2, 3};
            assertEquals(0, math.softmax(z, new boolean[3], true), 0, "only the extra term: log 1");
            org.junit.jupiter.api.Assertions.assertArrayEquals(new double[3], z);
        }
    }

    /** The softmax against a plain log-sum-exp in long double-free arithmetic: the used entries only, with the extra 1 or not. */
    @Test
    void softmaxMatchesItsDefinition() {
        Random r = new Random(5);
        for (HostMath math : new HostMath[] {new VectorHostMath(), new PlainHostMath()}) {
            for (boolean withOne : new boolean[] {false, true}) {
                for (double scale : new double[] {1, 300}) {
                    double[] z = new double[37];
                    boolean[] used = new boolean[z.length];
                    for (int j = 0; j < z.length; j++) {
                        z[j] = r.nextGaussian() * scale;
                        used[j] = j % 3 != 1;
                    }
                    double[] x = z.clone();
                    double lse = math.softmax(z, used, withOne);
                    double max = withOne ? 0 : Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < x.length; j++) {
                        max = used[j] ? Math.max(max, x[j]) : max;
                    }
                    double sum = withOne ? Math.exp(-max) : 0;
                    for (int j = 0; j < x.length; j++) {
                        sum += used[j] ? Math.exp(x[j] - max) : 0;
                    }
                    assertEquals(max + Math.log(sum), lse, 1e-12 * Math.max(1, Math.abs(lse)), "log-sum-exp, withOne " + withOne + ", scale " + scale);
                    double total = withOne ? Math.exp(-lse) : 0;
                    for (int j = 0; j < x.length; j++) {
                        if (used[j]) {
                            assertEquals(Math.exp(x[j] - lse), z[j], 1e-12, "softmax entry " + j);
                            total += z[j];
                        } else {
                            assertEquals(0, z[j], 0, "an unused entry is 0");
                        }
                    }
                    assertEquals(1, total, 1e-12, "the softmax sums to 1 with the extra term");
                }
            }
        }
    }

    /**
     * Both products give the same bits, before and after the JIT compiles them, on shapes with and without whole row
     * blocks and vectors (tails in rows and columns, one column, one inner step), and lie within float rounding of a
     * product in double.
     */
    @Test
    void bothProductsGiveTheSameBitsNearTheExactProduct() {
        HostMath vector = new VectorHostMath();
        HostMath plain = new PlainHostMath();
        int[][] shapes = {{72, 128, 72}, {9, 5, 30}, {4, 7, 24}, {3, 2, 1}, {5, 1, 9}, {8, 13, 17}, {1, 3, 40}};
        Random r = new Random(11);
        for (int round = 0; round < 2; round++) {
            for (int[] shape : shapes) {
                int m = shape[0];
                int k = shape[1];
                int n = shape[2];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextGaussian();
                }
                float[] v = new float[m * n];
                float[] p = new float[m * n];
                java.util.Arrays.fill(v, Float.NaN);
                java.util.Arrays.fill(p, Float.NaN);
                vector.multiply(a, b, v, m, k, n);
                plain.multiply(a, b, p, m, k, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        String where = "round " + round + ", " + m + " x " + k + " x " + n + " at (" + i + ", " + j + ")";
                        assertEquals(Float.floatToRawIntBits(p[i * n + j]), Float.floatToRawIntBits(v[i * n + j]), "the same bits: " + where);
                        double exact = 0;
                        double scale = 0;
                        for (int q = 0; q < k; q++) {
                            exact += (double) a[i * k + q] * b[q * n + j];
                            scale += Math.abs((double) a[i * k + q] * b[q * n + j]);
                        }
                        assertEquals(exact, v[i * n + j], 1e-6 * k * scale, where);
                    }
                }
            }
            // enough calls for the JIT to compile both (the assertions above run again on compiled code)
            float[] a = new float[72 * 128];
            float[] b = new float[128 * 72];
            float[] c = new float[72 * 72];
            for (int q = 0; q < 3_000; q++) {
                vector.multiply(a, b, c, 72, 128, 72);
                plain.multiply(a, b, c, 9, 128, 8);
            }
        }
    }
}
