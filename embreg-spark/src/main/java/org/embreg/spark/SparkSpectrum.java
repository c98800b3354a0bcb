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
     * @param spectrum of the rows the analysis uses (L2-normalized, or as given), with the bounds for N rows
     * @param unitSpectrum of the L2-normalized rows (the same as spectrum when it is of normalized rows)
     * @param mean per dimension, of the rows as given
     * @param std per dimension, unbiased (N - 1), of the rows as given
     * @param unitStd per dimension, unbiased, of the L2-normalized rows
     */
    public record Result(long rows, Spectrum spectrum, Spectrum unitSpectrum, double[] mean, double[] std, double[] unitStd) {}

    /** Welford's running mean and sum of squared deviations per dimension, combined by Chan et al.'s pairwise update. */
    static final class Welford implements Serializable {
        private static final long serialVersionUID = 1L;
        long n;
        final double[] mean;
        final double[] m2;

        Welford(int d) {
            mean = new double[d];
            m2 = new double[d];
        }

        void add(double[] x) {
            n++;
            for (int j = 0; j < mean.length; j++) {
                double delta = x[j] - mean[j];
                mean[j] += delta / n;
                m2[j] += delta * (x[j] - mean[j]);
            }
        }

        void merge(Welford o) {
            if (o.n == 0) {
                return;
            }
            if (n == 0) {
                System.arraycopy(o.mean, 0, mean, 0, mean.length);
                System.arraycopy(o.m2, 0, m2, 0, m2.length);
                n = o.n;
                return;
            }
            long total = n + o.n;
            for (int j = 0; j < mean.length; j++) {
                double delta = o.mean[j] - mean[j];
                mean[j] += delta * o.n / total;
                m2[j] += o.m2[j] + delta * delta * ((double) n * o.n / total);
            }
            n = total;
        }

        double[] std() {
            double[] s = new double[mean.length];
            for (int j = 0; j < s.length; j++) {
                s[j] = Math.sqrt(m2[j] / (n - 1));
            }
            return s;
        }
    }

    /** The running sums of one partition, or of several combined. */
    static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        final int d;
        final Welford raw;
        final Welford unit;
        /** Upper triangle of the Gram matrix of the normalized rows. */
        final double[] unitGram;
        /** That of the rows as given, or null when the analysis uses normalized rows. */
        final double[] rawGram;
        Moments(int d, boolean normalize) {
            this.d = d;
            this.raw = new Welford(d);
            this.unit = new Welford(d);
            this.unitGram = new double[d * d];
            this.rawGram = normalize ? null : new double[d * d];
        }

        Moments add(float[] x) {
            double[] r = new double[d];
            for (int j = 0; j < d; j++) {
                r[j] = x[j];
            }
            raw.add(r);
            double[] u = normalized(x);
            unit.add(u);
            addOuter(unitGram, u, d);
            if (rawGram != null) {
                addOuter(rawGram, r, d);
            }
            return this;
        }

        Moments merge(Moments o) {
            raw.merge(o.raw);
            unit.merge(o.unit);
            sum(unitGram, o.unitGram);
            if (rawGram != null) {
                sum(rawGram, o.rawGram);
            }
            return this;
        }
    }

    private static void addOuter(double[] gram, double[] u, int d) {
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
    }

    /** One pass over a column of arrays, spectrum of the L2-normalized rows. */
    public static Result of(Dataset<Row> table, String column, SymmetricEigenSolver solver) {
        return of(table, column, solver, true);
    }

    /**
     * One pass over a column of float or double arrays (or MLlib vectors).
     *
     * @param table the embeddings
     * @param column the array column's name
     * @param solver eigensolver for the d x d Gram matrix (on the driver)
     * @param normalize whether {@link Result#spectrum} is of the L2-normalized rows (as {@code analyze} without --no-normalize)
     * @throws EmbregException when the column is missing or empty, a row's length differs, or a value is NaN or infinite
     */
    public static Result of(Dataset<Row> table, String column, SymmetricEigenSolver solver, boolean normalize) {
        SparkTables.requireColumns(table, column);
        JavaRDD<Row> raw = table.select(column).javaRDD();
        List<Row> first = raw.take(1);
        if (first.isEmpty()) {
            throw new EmbregException("the embeddings are empty: shape (0, ?)");
        }
        int d = SparkTables.locating(table, () -> raw.mapPartitionsWithIndex((p, it) -> checked(p, it, -1), false).take(1).get(0).length);
        JavaRDD<float[]> rows = raw.mapPartitionsWithIndex((p, it) -> checked(p, it, d), false);
        Moments m = SparkTables.locating(table, () -> rows.treeAggregate(new Moments(d, normalize), Moments::add, Moments::merge));
        long n = m.raw.n;
        if (n < 2 || d < 2) {
            throw new EmbregException("the embeddings have shape (" + n + ", " + d + "): the spectrum needs at least 2 rows and 2 columns");
        }
        Spectrum unit = spectrum(rows, m.unitGram, n, d, true, solver);
        Spectrum spectrum = normalize ? unit : spectrum(rows, m.rawGram, n, d, false, solver);
        return new Result(n, spectrum, unit, m.raw.mean, m.raw.std(), m.unit.std());
    }

    /** The spectrum from a summed Gram matrix (upper triangle), with a second pass over the rows for what it does not resolve. */
    private static Spectrum spectrum(JavaRDD<float[]> rows, double[] upper, long n, int d, boolean normalize, SymmetricEigenSolver solver) {
        double[] gram = upper.clone();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                gram[i * d + j] = gram[j * d + i];
            }
        }
        GramSpectrum g = GramSpectrum.of(gram, d, solver, true);
        double[] values = g.eigen().values();
        int large = Spectrum.resolvedCount(values);
        double[] singular = g.singularValues();
        if (large < d && d <= n) {
            // the directions the Gram matrix does not resolve, measured again on the rows: a second pass
            int small = d - large;
            double[] vs = java.util.Arrays.copyOfRange(g.eigen().vectors(), large * d, d * d);
            double[] h = rows.treeAggregate(new double[small * small], (acc, x) -> tail(acc, normalize ? normalized(x) : org.embreg.data.Matrix.doubles(x), vs, small),
                    SparkSpectrum::sum);
            singular = Spectrum.withRefinedTail(values, large, h, solver);
        }
        if (d > n) {
            singular = java.util.Arrays.copyOf(singular, (int) n);
        }
        return Spectrum.fromSingularValues(singular, Math.toIntExact(n), d);
    }

    /** Adds f f^T (upper triangle) for f = V_s^T u, u the row as the Gram matrix's rows were. */
    private static double[] tail(double[] acc, double[] u, double[] vs, int small) {
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
        return org.embreg.data.Matrix.doubles(normalizedFloats(x));
    }

    /** The row L2-normalized as {@link org.embreg.data.Matrix#normalizedRows} normalizes it. */
    static float[] normalizedFloats(float[] x) {
        double norm = 0;
        for (float v : x) {
            norm += (double) v * v;
        }
        double inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
        float[] u = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            u[j] = (float) (x[j] * inv);
        }
        return u;
    }

    /** The rows of partition p as floats, each checked: an embedding, d values (any number when d < 0), all finite; a bad one is a {@link SparkTables.BadRow}. */
    private static java.util.Iterator<float[]> checked(int p, java.util.Iterator<Row> rows, int d) {
        return new java.util.Iterator<>() {
            long r;

            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public float[] next() {
                long at = r++;
                return SparkTables.embedding(rows.next(), 0, d, problem -> new SparkTables.BadRow(p, at, problem));
            }
        };
    }
}
