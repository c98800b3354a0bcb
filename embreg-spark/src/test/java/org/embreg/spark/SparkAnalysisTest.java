package org.embreg.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.data.NpyWriter;
import org.embreg.experiments.analyze.EmbeddingAnalysis;
import org.embreg.linalg.EigenSolvers;
import org.embreg.metric.KMeans;
import org.embreg.metric.Nmi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} on Spark (local[2]) against the single-machine {@link EmbeddingAnalysis#run} on the same rows: .npy shards
 * (uneven, several per partition) and Parquet laid out over uneven partitions with an empty one; retrieval metrics identical,
 * spectrum and dimensions to 1e-9 relative, the same collapse findings; bad input named as analyze names it.
 */
class SparkAnalysisTest extends LocalSparkTest {
    @TempDir
    Path tmp;

    /** Clusters of classes in d dimensions, two columns collapsed (constant) so that the findings are not empty. */
    private static Matrix data(int n, int d, int classes, int[] labels, long seed) {
        Random r = new Random(seed);
        double[][] centre = new double[classes][d];
        for (double[] c : centre) {
            for (int j = 0; j < d; j++) {
                c[j] = 3 * r.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(classes);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = j >= d - 2 ? 0.25f : (float) (centre[labels[i]][j] + r.nextGaussian());
            }
        }
        return new Matrix(x, n, d);
    }

    private static EmbeddingAnalysis.Analysis single(Matrix m, int[] y, boolean normalize) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return EmbeddingAnalysis.run(manager, new EmbeddingAnalysis.Input(m, null, y, normalize, 1e-3, 1), EigenSolvers.fastest());
        }
    }

    private static SparkAnalysis.Options options(boolean normalize) {
        return new SparkAnalysis.Options(normalize, 1e-3, 1, 0, 300, true);
    }

    private static void assertClose(double[] a, double[] b, double rel, String what) {
        assertEquals(a.length, b.length, what);
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], rel * scale, what + " " + i);
        }
    }

    private static void assertAgree(EmbeddingAnalysis.Analysis a, EmbeddingAnalysis.Analysis b) {
        assertEquals(a.rows(), b.rows());
        assertEquals(a.dim(), b.dim());
        assertEquals(a.normalized(), b.normalized());
        EmbeddingAnalysis.SpectrumSummary s = a.spectrum();
        EmbeddingAnalysis.SpectrumSummary t = b.spectrum();
        assertClose(s.singularValues(), t.singularValues(), 1e-9, "singular value");
        assertClose(new double[] {s.meanSingularValue(), s.lowerBound(), s.upperBound(), s.bandPosition(), s.svmaxLoss(), s.effectiveRank()},
                new double[] {t.meanSingularValue(), t.lowerBound(), t.upperBound(), t.bandPosition(), t.svmaxLoss(), t.effectiveRank()}, 1e-9,
                "spectrum summary");
        assertClose(a.dimensions().std(), b.dimensions().std(), 1e-9, "std");
        assertEquals(a.dimensions().collapsed(), b.dimensions().collapsed());
        assertEquals(a.spread().normalizedRowStd(), b.spread().normalizedRowStd(), 1e-9 * a.spread().normalizedRowStd());
        assertEquals(a.spread().uniformity(), b.spread().uniformity(), 0, "uniformity: the same rows in key order, whatever the read order");
        assertEquals(a.spread().uniformityRows(), b.spread().uniformityRows());
        assertEquals(a.collapse().stream().map(EmbeddingAnalysis.Finding::measure).toList(),
                b.collapse().stream().map(EmbeddingAnalysis.Finding::measure).toList());
        EmbeddingAnalysis.Retrieval r = a.retrieval();
        EmbeddingAnalysis.Retrieval q = b.retrieval();
        assertEquals(r.recallAt(), q.recallAt(), "Recall@K identical");
        assertEquals(r.mapAtR(), q.mapAtR(), 0, "MAP@R identical");
        assertEquals(r.rPrecision(), q.rPrecision(), 0, "R-precision identical");
        assertEquals(r.precisionAt1(), q.precisionAt1(), 0, "precision@1 identical");
        assertEquals(r.meanReciprocalRank(), q.meanReciprocalRank(), 0, "mean reciprocal rank identical");
        assertEquals(r.meanAveragePrecision(), q.meanAveragePrecision(), 0, "mean average precision identical");
        assertEquals(r.classes(), q.classes());
    }

    /**
     * NMI from MLlib's k-means within the spread of k-means itself: between the worst and best single-restart runs of the single
     * machine's k-means over 8 seeds (0.01 either side).
     */
    private static void assertNmiWithinTheSpread(Matrix m, int[] y, boolean normalize, EmbeddingAnalysis.Analysis spark) {
        Matrix x = normalize ? m.normalizedRows() : m;
        int k = (int) java.util.Arrays.stream(y).distinct().count();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (long seed = 1; seed <= 8; seed++) {
                double nmi = Nmi.of(y, new KMeans(k, 1, 100, 1e-4, seed).fit(manager, x).assignment());
                lo = Math.min(lo, nmi);
                hi = Math.max(hi, nmi);
            }
        }
        double nmi = spark.retrieval().nmi();
        assertTrue(nmi >= lo - 0.01 && nmi <= hi + 0.01, "NMI " + nmi + " outside the single machine's k-means spread [" + lo + ", " + hi + "]");
        assertTrue(spark.retrieval().ami() <= nmi + 1e-12 && spark.retrieval().ami() > 0.5, "AMI " + spark.retrieval().ami());
    }

    private void writeShards(Matrix m, int[] y, int... sizes) throws IOException {
        Files.createDirectories(tmp.resolve("e"));
        Files.createDirectories(tmp.resolve("y"));
        int from = 0;
        int d = m.cols();
        for (int i = 0; i < sizes.length; i++) {
            float[] part = java.util.Arrays.copyOfRange(m.data(), from * d, (from + sizes[i]) * d);
            String name = String.format("part-%03d.npy", i);
            NpyWriter.write(tmp.resolve("e").resolve(name), new Matrix(part, sizes[i], d));
            NpyWriter.writeLabels(tmp.resolve("y").resolve(name), java.util.Arrays.copyOfRange(y, from, from + sizes[i]));
            from += sizes[i];
        }
    }

    @Test
    void npyShardsAgreeWithTheSingleMachine() throws IOException {
        int n = 1300;
        int[] y = new int[n];
        Matrix m = data(n, 12, 9, y, 3);
        writeShards(m, y, 700, 1, 599);
        for (boolean normalize : new boolean[] {true, false}) {
            SparkAnalysis.Report r = SparkAnalysis.run(SparkInputs.npy(spark, tmp.resolve("e"), tmp.resolve("y")), options(normalize),
                    EigenSolvers.fastest());
            assertAgree(single(m, y, normalize), r.analysis());
            assertNmiWithinTheSpread(m, y, normalize, r.analysis());
            assertNull(r.analysis().vicreg());
            assertEquals(3, r.spark().partitions(), "one slice per shard");
            assertEquals((long) n, r.spark().retrievalQueries());
            assertEquals(false, r.spark().retrievalEstimate());
            assertTrue(r.spark().stageSeconds().keySet().containsAll(List.of("spectrum and dimensions", "retrieval")), r.spark().toString());
        }
        assertTrue(!single(m, y, true).collapse().isEmpty(), "two constant columns: findings to compare");
        // one labels file for all shards
        NpyWriter.writeLabels(tmp.resolve("all.npy"), y);
        SparkAnalysis.Report one = SparkAnalysis.run(SparkInputs.npy(spark, tmp.resolve("e"), tmp.resolve("all.npy")), options(true),
                EigenSolvers.fastest());
        assertEquals(single(m, y, true).retrieval().recallAt(), one.analysis().retrieval().recallAt());
    }

    @Test
    void parquetOverUnevenAndEmptyPartitionsAgrees() {
        int n = 900;
        int[] y = new int[n];
        Matrix m = data(n, 10, 6, y, 4);
        StructType schema = new StructType().add("vec", DataTypes.createArrayType(DataTypes.DoubleType), true).add("cls", DataTypes.LongType, true)
                .add("key", DataTypes.StringType, true);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Double> v = new ArrayList<>();
            for (int j = 0; j < m.cols(); j++) {
                v.add((double) m.data()[i * m.cols() + j]);
            }
            rows.add(RowFactory.create(v, (long) y[i], "item-" + i));
        }
        String dir = tmp.resolve("t.parquet").toString();
        LocalSpark.table(spark, schema, rows, 300, 0, 1, 599).write().parquet(dir);
        SparkInputs.Table t = SparkInputs.parquet(spark, dir, "vec", "cls", "key");
        SparkAnalysis.Report r = SparkAnalysis.run(t, options(true), EigenSolvers.fastest());
        assertAgree(single(m, y, true), r.analysis());
        assertNmiWithinTheSpread(m, y, true, r.analysis());
        SparkInputs.Table unlabelled = SparkInputs.parquet(spark, dir, "vec", null, null);
        assertNull(SparkAnalysis.run(unlabelled, options(true), EigenSolvers.fastest()).analysis().retrieval());
    }

    /** Beyond 10,000 rows uniformity is over a seeded sample: the same rows as on one machine (smallest keys), from shards in any order. */
    @Test
    void uniformitySamplesTheSameRowsAsTheSingleMachine() throws IOException {
        int n = 10_050;
        int[] y = new int[n];
        Matrix m = data(n, 4, 3, y, 9);
        writeShards(m, y, 3000, 7050);
        SparkAnalysis.Report r = SparkAnalysis.run(new SparkInputs.Table(SparkInputs.npy(spark, tmp.resolve("e"), null).rows(), SparkInputs.EMBEDDING,
                null, null, "e"), options(true), EigenSolvers.fastest());
        EmbeddingAnalysis.Analysis one;
        try (NDManager manager = NDManager.newBaseManager()) {
            one = EmbeddingAnalysis.run(manager, new EmbeddingAnalysis.Input(m, null, null, true, 1e-3, 1), EigenSolvers.fastest());
        }
        assertEquals(10_000, one.spread().uniformityRows());
        assertEquals(one.spread().uniformityRows(), r.analysis().spread().uniformityRows());
        assertEquals(one.spread().uniformity(), r.analysis().spread().uniformity(), 0, "the same sample, the same computation");
    }

    @Test
    void sampledQueriesSayTheyAreAnEstimate() throws IOException {
        int n = 600;
        int[] y = new int[n];
        Matrix m = data(n, 8, 5, y, 6);
        writeShards(m, y, 600);
        SparkAnalysis.Report r = SparkAnalysis.run(SparkInputs.npy(spark, tmp.resolve("e"), tmp.resolve("y")),
                new SparkAnalysis.Options(true, 1e-3, 1, 150, 64, false), EigenSolvers.fastest());
        assertEquals(150L, r.spark().retrievalQueries());
        assertEquals(true, r.spark().retrievalEstimate());
        assertEquals(single(m, y, true).retrieval().recallAt().get(1), r.analysis().retrieval().recallAt().get(1), 0.1);
        assertNull(r.analysis().retrieval().nmi(), "not clustered");
    }

    @Test
    void badInputIsNamedAsAnalyzeNamesIt() throws IOException {
        int n = 50;
        int[] y = new int[n];
        Matrix m = data(n, 4, 3, y, 7);
        m.data()[37 * 4 + 1] = Float.NaN;
        writeShards(m, y, 20, 30);
        EmbregException nan = assertThrows(EmbregException.class,
                () -> SparkAnalysis.run(SparkInputs.npy(spark, tmp.resolve("e"), tmp.resolve("y")), options(true), EigenSolvers.fastest()));
        assertEquals(tmp.resolve("e") + ": row 37 contains NaN or Inf", nan.getMessage());

        NpyWriter.writeLabels(tmp.resolve("short.npy"), new int[] {1, 2});
        EmbregException count = assertThrows(EmbregException.class, () -> SparkInputs.npy(spark, tmp.resolve("e"), tmp.resolve("short.npy")));
        assertEquals("--labels has 2 labels but --embeddings has 50 rows", count.getMessage());

        StructType schema = new StructType().add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true)
                .add("label", DataTypes.IntegerType, true);
        List<Row> rows = List.of(RowFactory.create(List.of(1f, 0f, 0f), 1), RowFactory.create(List.of(0f, 1f, 0f), 1),
                RowFactory.create(List.of(0f, 1f), 2), RowFactory.create(List.of(1f, 1f, 1f), 2));
        String ragged = tmp.resolve("ragged.parquet").toString();
        LocalSpark.table(spark, schema, rows, 4).write().parquet(ragged);
        EmbregException r = assertThrows(EmbregException.class,
                () -> SparkAnalysis.run(SparkInputs.parquet(spark, ragged, "embedding", "label", null), options(true), EigenSolvers.fastest()));
        assertEquals(ragged + ": row 2 has 2 values where the first row has 3 (ragged arrays)", r.getMessage());

        EmbregException missing = assertThrows(EmbregException.class, () -> SparkInputs.parquet(spark, ragged, "embedding", "class", null));
        assertTrue(missing.getMessage().startsWith(ragged + ": the table has no column 'class'"), missing.getMessage());

        List<Row> unlabelled = List.of(RowFactory.create(List.of(1f, 0f), 1), RowFactory.create(List.of(0f, 1f), null),
                RowFactory.create(List.of(1f, 1f), 2));
        String nulls = tmp.resolve("nulls.parquet").toString();
        LocalSpark.table(spark, schema, unlabelled, 3).write().parquet(nulls);
        EmbregException noLabel = assertThrows(EmbregException.class,
                () -> SparkAnalysis.run(SparkInputs.parquet(spark, nulls, "embedding", "label", null), options(true), EigenSolvers.fastest()));
        assertEquals(nulls + ": row 1 has no label", noLabel.getMessage());

        EmbregException notThere = assertThrows(EmbregException.class, () -> SparkInputs.parquet(spark, tmp.resolve("nope").toString(), "e", null, null));
        assertNotNull(notThere.getMessage());
        assertTrue(notThere.getMessage().startsWith(tmp.resolve("nope") + ": cannot read it as Parquet"), notThere.getMessage());
    }
}
