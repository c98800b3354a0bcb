package org.embreg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.linalg.EigenSolvers;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;
import org.junit.jupiter.api.Test;

/** The spectrum on Spark in local[2] against the single-machine computation, over uneven and empty partitions. */
class SparkSpectrumTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType().add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true);

    private static Row row(float[] x) {
        List<Float> v = new ArrayList<>(x.length);
        for (float f : x) {
            v.add(f);
        }
        return RowFactory.create(v);
    }

    /** The matrix's rows in pieces of the given sizes, one partition each (0 makes an empty partition). */
    private static Dataset<Row> table(Matrix m, int... pieces) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < m.rows(); r++) {
            rows.add(row(java.util.Arrays.copyOfRange(m.data(), r * m.cols(), (r + 1) * m.cols())));
        }
        return LocalSpark.table(spark, SCHEMA, rows, pieces);
    }

    private static Matrix random(int b, int d, long seed, double scale) {
        Random rnd = new Random(seed);
        float[] x = new float[b * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale + (i % d) * 0.5);
        }
        return new Matrix(x, b, d);
    }

    @Test
    void agreesWithTheSingleMachineSpectrumAndStatistics() {
        Matrix m = random(300, 12, 7, 2.0);
        Dataset<Row> t = table(m, 170, 0, 1, 129);
        assertEquals(4, t.javaRDD().getNumPartitions());
        SparkSpectrum.Result r = SparkSpectrum.of(t, "embedding", EigenSolvers.ejml());
        Spectrum single = Spectrum.of(m.normalizedRows(), EigenSolvers.ejml());
        assertEquals(300, r.rows());
        double[] s = r.spectrum().singularValues();
        assertEquals(single.singularValues().length, s.length);
        for (int i = 0; i < s.length; i++) {
            assertEquals(single.singularValues()[i], s[i], 1e-9 * single.singularValues()[0], "singular value " + i);
        }
        assertEquals(single.meanSingularValue(), r.spectrum().meanSingularValue(), 1e-9 * single.meanSingularValue());
        assertEquals(single.lowerBound(), r.spectrum().lowerBound(), 0);
        assertEquals(single.upperBound(), r.spectrum().upperBound(), 0);
        assertEquals(single.effectiveRank(), r.spectrum().effectiveRank(), 1e-9 * single.effectiveRank());
        double[] std = DimensionStats.of(m, DimensionStats.DEFAULT_THRESHOLD).std();
        for (int j = 0; j < 12; j++) {
            assertEquals(std[j], r.std()[j], 1e-9 * std[j], "std of dimension " + j);
            assertEquals(j * 0.5, r.mean()[j], 0.5, "mean of dimension " + j);
        }
    }

    @Test
    void aNearlyCollapsedTableIsResolvedAsOnOneMachine() {
        // rows in a 3-dimensional subspace of 8, plus noise of 1e-6: five singular values far below what a Gram matrix resolves
        Random rnd = new Random(11);
        int b = 400;
        int d = 8;
        double[][] basis = new double[3][d];
        for (double[] v : basis) {
            for (int c = 0; c < d; c++) {
                v[c] = rnd.nextGaussian();
            }
        }
        float[] x = new float[b * d];
        for (int r = 0; r < b; r++) {
            double[] w = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            for (int c = 0; c < d; c++) {
                x[r * d + c] = (float) (w[0] * basis[0][c] + w[1] * basis[1][c] + w[2] * basis[2][c] + 1e-6 * rnd.nextGaussian());
            }
        }
        Matrix m = new Matrix(x, b, d);
        Spectrum single = Spectrum.of(m.normalizedRows(), EigenSolvers.ejml());
        assertTrue(!Spectrum.resolvedByGram(single.singularValues()), "the fixture must need the second pass");
        SparkSpectrum.Result r = SparkSpectrum.of(table(m, 150, 0, 250), "embedding", EigenSolvers.ejml());
        double[] s = r.spectrum().singularValues();
        for (int i = 0; i < d; i++) {
            // each value to 1e-6 of itself: the small ones too, which a Gram matrix alone would give as noise
            assertEquals(single.singularValues()[i], s[i], 1e-6 * single.singularValues()[i] + 1e-15, "singular value " + i);
        }
        assertTrue(s[d - 1] > 0 && s[d - 1] < 1e-4 * s[0], java.util.Arrays.toString(s));
    }

    @Test
    void parquetWithAnArrayOrAVectorColumnGivesTheSameSpectrum(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        Matrix m = random(60, 5, 9, 1.0);
        Dataset<Row> t = table(m, 60);
        String arrays = tmp.resolve("arrays.parquet").toString();
        t.write().parquet(arrays);
        SparkSpectrum.Result fromArrays = SparkSpectrum.of(spark.read().parquet(arrays), "embedding", EigenSolvers.ejml());
        // the same rows as MLlib vectors (what VectorAssembler or a PySpark pipeline writes)
        Dataset<Row> vectors = spark.createDataFrame(t.javaRDD().map(r -> RowFactory.create(org.apache.spark.ml.linalg.Vectors.dense(
                java.util.Arrays.stream(r.getList(0).toArray()).mapToDouble(o -> ((Number) o).doubleValue()).toArray()))),
                new StructType().add("v", new org.apache.spark.ml.linalg.VectorUDT(), false));
        String vectorPath = tmp.resolve("vectors.parquet").toString();
        vectors.write().parquet(vectorPath);
        SparkSpectrum.Result fromVectors = SparkSpectrum.of(spark.read().parquet(vectorPath), "v", EigenSolvers.ejml());
        Spectrum single = Spectrum.of(m.normalizedRows(), EigenSolvers.ejml());
        for (SparkSpectrum.Result r : List.of(fromArrays, fromVectors)) {
            assertEquals(60, r.rows());
            assertEquals(single.meanSingularValue(), r.spectrum().meanSingularValue(), 1e-9 * single.meanSingularValue());
        }
    }

    @Test
    void largeOffsetsDoNotCancel() {
        // a mean of 1e4 with unit spread: E[x^2] - E[x]^2 in double would keep about 8 digits; the pairwise update keeps them all
        Matrix base = random(200, 4, 3, 1.0);
        float[] x = base.data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] += 1e4f;
        }
        Matrix m = new Matrix(x, 200, 4);
        SparkSpectrum.Result r = SparkSpectrum.of(table(m, 50, 50, 100), "embedding", EigenSolvers.ejml());
        double[] std = DimensionStats.of(m, DimensionStats.DEFAULT_THRESHOLD).std();
        for (int j = 0; j < 4; j++) {
            assertEquals(std[j], r.std()[j], 1e-10 * std[j]);
        }
    }

    @Test
    void badInputIsNamed() {
        Matrix m = random(10, 3, 1, 1.0);
        EmbregException missing = assertThrows(EmbregException.class, () -> SparkSpectrum.of(table(m, 10), "vectors", EigenSolvers.ejml()));
        assertTrue(missing.getMessage().contains("'vectors'") && missing.getMessage().contains("embedding"), missing.getMessage());
        List<Row> ragged = List.of(row(new float[] {1, 2, 3}), row(new float[] {1, 2}));
        Exception e = assertThrows(Exception.class, () -> SparkSpectrum.of(spark.createDataFrame(ragged, SCHEMA), "embedding", EigenSolvers.ejml()));
        assertTrue(String.valueOf(e.getMessage()).contains("ragged"), String.valueOf(e.getMessage()));
        List<Row> nan = List.of(row(new float[] {1, 2}), row(new float[] {Float.NaN, 2}));
        e = assertThrows(Exception.class, () -> SparkSpectrum.of(spark.createDataFrame(nan, SCHEMA), "embedding", EigenSolvers.ejml()));
        assertTrue(String.valueOf(e.getMessage()).contains("NaN"), String.valueOf(e.getMessage()));
    }
}
