package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.embreg.data.Matrix;

/**
 * Uniformity and alignment of L2-normalized embeddings (Wang and Isola 2020):
 * uniformity = log of the mean over pairs i != j of exp(-t |x_i - x_j|^2) (t = 2; lower is more
 * uniform, log(exp(-4)) = -4 at best for unit rows), alignment = the mean over rows of
 * |x_i - y_i|^alpha between two views of the same rows (alpha = 2; 0 when they agree).
 */
public final class Uniformity {
    private Uniformity() {}

    /** The paper's t. */
    public static final double T = 2;
    /** The paper's alpha. */
    public static final double ALPHA = 2;

    /**
     * The result.
     *
     * @param value the uniformity
     * @param rows how many rows it was computed over (a seeded sample when fewer than the matrix has)
     */
    public record Result(double value, int rows) {}

    /** Rows per tile of the pair computation. */
    private static final int TILE = 2048;

    /**
     * Uniformity over every pair of rows, or of a seeded sample of {@code maxRows} rows when there
     * are more (the pairs grow as the square): the rows of smallest {@link #sampleKey}, which does
     * not depend on the order the rows come in.
     *
     * @param manager an engine manager for temporaries (freed inside)
     * @param normalized rows of unit length (or zero), not modified
     */
    public static Result uniformity(NDManager manager, Matrix normalized, double t, int maxRows, long seed) {
        Matrix x = keyedRows(normalized, maxRows, seed);
        int n = x.rows();
        int d = x.cols();
        if (n < 2) {
            throw new IllegalArgumentException("uniformity needs at least 2 rows, got " + n);
        }
        double total = 0;
        try (NDManager scope = manager.newSubManager()) {
            double[] data = new double[n * d];
            for (int i = 0; i < data.length; i++) {
                data[i] = x.data()[i];
            }
            NDArray all = scope.create(data, new Shape(n, d));
            NDArray sq = all.square().sum(new int[] {1});
            for (int a = 0; a < n; a += TILE) {
                int b = Math.min(n, a + TILE);
                try (NDManager tile = scope.newSubManager()) {
                    tile.tempAttachAll(all, sq);
                    NDArray rows = all.get(a + ":" + b);
                    NDArray dist = sq.get(a + ":" + b).reshape(b - a, 1).add(sq.reshape(1, n)).sub(rows.matMul(all.transpose()).mul(2));
                    total += dist.maximum(0).mul(-t).exp().sum().toType(DataType.FLOAT64, false).getDouble();
                }
            }
        }
        // the n diagonal terms are exp(0) = 1 up to rounding
        double mean = (total - n) / ((double) n * (n - 1));
        return new Result(Math.log(Math.max(mean, Double.MIN_NORMAL)), n);
    }

    /** Alignment between two views of the same rows, both L2-normalized (or zero rows). */
    public static double alignment(Matrix x, Matrix y, double alpha) {
        if (x.rows() != y.rows() || x.cols() != y.cols()) {
            throw new IllegalArgumentException("views of shape (" + x.rows() + ", " + x.cols() + ") and (" + y.rows() + ", " + y.cols() + ") differ");
        }
        int d = x.cols();
        double sum = 0;
        for (int i = 0; i < x.rows(); i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = (double) x.data()[i * d + j] - y.data()[i * d + j];
                s += v * v;
            }
            sum += Math.pow(Math.sqrt(s), alpha);
        }
        return sum / x.rows();
    }

    /**
     * A seeded sample of {@code rows} of n positions (a partial Fisher-Yates shuffle), in the order
     * drawn: the queries of a sampled retrieval estimate.
     */
    public static int[] sampleIndices(int n, int rows, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        for (int i = 0; i < rows; i++) {
            int j = i + r.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, rows);
    }

    /**
     * A seeded key of one row's values (their bits, mixed as SplitMix64 mixes): the rows
     * {@link #uniformity} takes are those of smallest key, in the order of their keys, so that the
     * same rows in any order (a table read partition by partition on a cluster) give the same
     * sample and the same sum.
     */
    public static long sampleKey(float[] data, int offset, int d, long seed) {
        long h = mix(seed + 0x9E3779B97F4A7C15L * (d + 1));
        for (int c = 0; c < d; c++) {
            h = mix(h ^ (Float.floatToRawIntBits(data[offset + c]) & 0xFFFFFFFFL));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Orders keyed rows: by key, then (identical keys of different rows being all but impossible) by their values' bits. */
    public static int compareKeyed(long keyA, float[] a, int offsetA, long keyB, float[] b, int offsetB, int d) {
        int c = Long.compare(keyA, keyB);
        for (int j = 0; c == 0 && j < d; j++) {
            c = Integer.compare(Float.floatToRawIntBits(a[offsetA + j]), Float.floatToRawIntBits(b[offsetB + j]));
        }
        return c;
    }

    /** The at most {@code rows} rows of smallest {@link #sampleKey}, in key order. */
    private static Matrix keyedRows(Matrix m, int rows, long seed) {
        int n = m.rows();
        int d = m.cols();
        float[] x = m.data();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = sampleKey(x, i * d, d, seed);
        }
        int take = Math.min(rows, n);
        long[] sorted = keys.clone();
        java.util.Arrays.sort(sorted);
        long last = sorted[take - 1];
        Integer[] picked = new Integer[take];
        int k = 0;
        for (int i = 0; i < n && k < take; i++) {
            if (keys[i] < last) {
                picked[k++] = i;
            }
        }
        for (int i = 0; i < n && k < take; i++) {
            if (keys[i] == last) {
                picked[k++] = i;
            }
        }
        java.util.Arrays.sort(picked, (a, b) -> compareKeyed(keys[a], x, a * d, keys[b], x, b * d, d));
        float[] out = new float[take * d];
        for (int i = 0; i < take; i++) {
            System.arraycopy(x, picked[i] * d, out, i * d, d);
        }
        return new Matrix(out, take, d);
    }
}
