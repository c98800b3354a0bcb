package org.embreg.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.embreg.EmbregException;
import org.embreg.linalg.GramSpectrum;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.spectrum.Spectrum;

/**
 * The spectrum and per-dimension statistics of an embedding table of any size, in one pass over a
 * Spark dataset: each partition sums the d x d Gram matrix of its L2-normalized rows in double
 * precision (rows normalized as {@link org.embreg.data.Matrix#normalizedRows} does, to float) and
 * keeps Welford's per-dimension mean and sum of squared deviations of the rows as given; partitions
 * are combined by tree aggregation (Chan et al.'s pairwise update for the moments, never
 * E[x^2] - E[x]^2), and the Gram matrix is eigendecomposed on the driver. Linear in the rows,
 * memory d^2 per task.
 *
 * <p>Singular values below 1e-4 of the largest, which the Gram matrix does not resolve, are
 * measured again on the rows in a second pass (as {@link Spectrum#of} does on one machine): only
 * for tables whose spectrum has them.
 */
public final class SparkSpectrum {
    private SparkSpectrum() {}

    /**
     * What one pass gives.
     *
     * @param rows N
     * @param spectrum of the normalized rows, with the bounds for N rows
     * @param mean per dimension, of the rows as given
     * @param std per dimension, unbiased (N - 1), of the rows as given
     */
    public record Result(long rows, Spectrum spectrum, double[] mean, double[] std) {}

    /** The running sums of one partition, or of several combined. */
    static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        final int d;
        long n;
        final double[] mean;
        final double[] m2;
        final double[] gram;

        Moments(int d) {
            this.d = d;
            this.mean = new double[d];
            this.m2 = new double[d];
            this.gram = new double[d * d];
        }

        Moments add(float[] x) {
            n++;
            for (int j = 0; j < d; j++) {
                double delta = x[j] - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x[j] - mean[j]);
            }
            double[] u = normalized(x);
            for (int i = 0; i < d; i++) {
                double ui = u[i];
                if (ui == 0) {
                    continue;
                }
                int o = i * d;
                for (int j = i; j < d; j++) {
                    gram[o + j] += ui * u[j];
                }
            }
            return this;
        }

        Moments merge(Moments o) {
            if (o.n == 0) {
                return this;
            }
            if (n == 0) {
                return o;
            }
            long total = n + o.n;
            for (int j = 0; j < d; j++) {
                double delta = o.mean[j] - mean[j];
                mean[j] += delta * o.n / total;
                m2[j] += o.m2[j] + delta * delta * ((double) n * o.n / total);
            }
            for (int k = 0; k < gram.length; k++) {
                gram[k] += o.gram[k];
            }
            n = total;
            return this;
        }
    }

    /**
     * One pass over a column of float or double arrays.
     *
     * @param table the embeddings
     * @param column the array column's name
     * @param solver eigensolver for the d x d Gram matrix (on the driver)
     * @throws EmbregException when the column is missing or empty, a row's length differs, or a value is NaN or infinite
     */
    public static Result of(Dataset<Row> table, String column, SymmetricEigenSolver solver) {
        SparkTables.requireColumns(table, column);
        JavaRDD<float[]> rows = table.select(column).javaRDD().map(r -> SparkSpectrum.toFloats(r, 0));
        List<float[]> first = rows.take(1);
        if (first.isEmpty()) {
            throw new EmbregException("the embeddings are empty");
        }
        int d = first.get(0).length;
        Moments m = rows.treeAggregate(new Moments(d), (acc, x) -> {
            check(x, d);
            return acc.add(x);
        }, Moments::merge);
        if (m.n < 2 || d < 2) {
            throw new EmbregException("the embeddings have shape (" + m.n + ", " + d + "): the spectrum needs at least 2 rows and 2 columns");
        }
        double[] gram = m.gram;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                gram[i * d + j] = gram[j * d + i];
            }
        }
        GramSpectrum g = GramSpectrum.of(gram, d, solver, true);
        double[] values = g.eigen().values();
        int large = Spectrum.resolvedCount(values);
        double[] singular = g.singularValues();
        if (large < d && d <= m.n) {
            // the directions the Gram matrix does not resolve, measured again on the rows: a second pass
            int small = d - large;
            double[] vs = java.util.Arrays.copyOfRange(g.eigen().vectors(), large * d, d * d);
            double[] h = rows.treeAggregate(new double[small * small], (acc, x) -> tail(acc, x, vs, small), SparkSpectrum::sum);
            singular = Spectrum.withRefinedTail(values, large, h, solver);
        }
        if (d > m.n) {
            singular = java.util.Arrays.copyOf(singular, (int) m.n);
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(m.m2[j] / (m.n - 1));
        }
        return new Result(m.n, Spectrum.fromSingularValues(singular, Math.toIntExact(m.n), d), m.mean, std);
    }

    /** Adds f f^T (upper triangle) for f = V_s^T u, u the row normalized as the Gram matrix's rows were. */
    private static double[] tail(double[] acc, float[] x, double[] vs, int small) {
        double[] u = normalized(x);
        int d = u.length;
        double[] f = new double[small];
        for (int k = 0; k < small; k++) {
            double a = 0;
            for (int c = 0; c < d; c++) {
                a += u[c] * vs[k * d + c];
            }
            f[k] = a;
        }
        for (int i = 0; i < small; i++) {
            for (int j = i; j < small; j++) {
                acc[i * small + j] += f[i] * f[j];
            }
        }
        return acc;
    }

    private static double[] sum(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** The row L2-normalized and rounded to float, as {@link org.embreg.data.Matrix#normalizedRows} gives it, in a double array. */
    static double[] normalized(float[] x) {
        double norm = 0;
        for (float v : x) {
            norm += (double) v * v;
        }
        double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        double[] u = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            u[j] = (float) (x[j] * inv);
        }
        return u;
    }

    private static void check(float[] x, int d) {
        if (x.length != d) {
            throw new EmbregException("a row has " + x.length + " values where the first has " + d + " (ragged arrays)");
        }
        for (float v : x) {
            if (!Float.isFinite(v)) {
                throw new EmbregException("a row contains NaN or Inf");
            }
        }
    }

    /** The array in column i of a row, as floats (a float or double array column, or an MLlib vector). */
    static float[] toFloats(Row r, int i) {
        if (r.isNullAt(i)) {
            throw new EmbregException("a row has no embedding (null)");
        }
        if (r.get(i) instanceof org.apache.spark.ml.linalg.Vector vector) {
            double[] d = vector.toArray();
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (float) d[k];
            }
            return out;
        }
        List<Object> v = r.getList(i);
        float[] out = new float[v.size()];
        for (int k = 0; k < out.length; k++) {
            Object o = v.get(k);
            if (o == null) {
                throw new EmbregException("a row's embedding holds a null value");
            }
            out[k] = ((Number) o).floatValue();
        }
        return out;
    }
}
