package org.embreg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.api.Test;

/** Exact retrieval on Spark in local[2] against a brute-force computation (below), whatever the partitions and query blocks. */
class SparkRetrievalTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType().add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true)
            .add("label", DataTypes.IntegerType, true);

    private static Dataset<Row> table(float[][] x, int[] labels, int... pieces) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < x.length; r++) {
            List<Float> v = new ArrayList<>();
            for (float f : x[r]) {
                v.add(f);
            }
            rows.add(RowFactory.create(v, labels[r]));
        }
        return LocalSpark.table(spark, SCHEMA, rows, pieces);
    }

    private static SparkRetrieval.Options options(int[] ks, int block, int chunk) {
        return new SparkRetrieval.Options(true, ks, block, chunk, 0, 1);
    }

    /** Brute force: every pair's cosine in double, neighbours sorted by score then index. */
    private static double[] bruteForce(float[][] x, int[] labels, int[] ks) {
        int[] all = new int[x.length];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return bruteForce(x, labels, ks, all);
    }

    /** Brute force over the given queries only (each still against every other row). */
    private static double[] bruteForce(float[][] x, int[] labels, int[] ks, int[] queries) {
        int n = x.length;
        double[][] u = new double[n][];
        for (int i = 0; i < n; i++) {
            u[i] = SparkSpectrum.normalized(x[i]);
        }
        double[] out = new double[ks.length + 2];
        double ap = 0;
        double rp = 0;
        int ranked = 0;
        for (int q : queries) {
            List<Integer> order = new ArrayList<>();
            double[] s = new double[n];
            for (int j = 0; j < n; j++) {
                if (j != q) {
                    order.add(j);
                    for (int c = 0; c < u[q].length; c++) {
                        s[j] += u[q][c] * u[j][c];
                    }
                }
            }
            order.sort((a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b));
            for (int i = 0; i < ks.length; i++) {
                for (int j = 0; j < ks[i]; j++) {
                    if (labels[order.get(j)] == labels[q]) {
                        out[i] += 1.0 / queries.length;
                        break;
                    }
                }
            }
            int qq = q;
            int r = (int) Arrays.stream(labels).filter(l -> l == labels[qq]).count() - 1;
            if (r > 0) {
                int rel = 0;
                double sum = 0;
                for (int j = 0; j < r; j++) {
                    if (labels[order.get(j)] == labels[q]) {
                        rel++;
                        sum += (double) rel / (j + 1);
                    }
                }
                ap += sum / r;
                rp += (double) rel / r;
                ranked++;
            }
        }
        out[ks.length] = ap / ranked;
        out[ks.length + 1] = rp / ranked;
        return out;
    }

    @Test
    void matchesBruteForceWhateverThePartitionsAndBlocks() {
        Random rnd = new Random(5);
        int n = 90;
        float[][] x = new float[n][6];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 7 == 6 ? 100 + i : i % 4; // classes of about 20, and singletons that never hit
            for (int c = 0; c < 6; c++) {
                x[i][c] = (float) (rnd.nextGaussian() + (c == labels[i] % 6 ? 1.5 : 0));
            }
        }
        x[10] = x[3].clone(); // a duplicate: an exact tie, broken by index
        int[] ks = {1, 2, 4, 8};
        double[] expected = bruteForce(x, labels, ks);
        SparkRetrieval.Result a = SparkRetrieval.of(table(x, labels, 40, 0, 1, 49), "embedding", "label", null, options(ks, 7, 13));
        SparkRetrieval.Result b = SparkRetrieval.of(table(x, labels, 90), "embedding", "label", null, options(ks, 64, 4096));
        SparkRetrieval.Result c = SparkRetrieval.of(table(x, labels, 30, 30, 30), "embedding", "label", null, options(ks, 1, 1));
        for (SparkRetrieval.Result r : List.of(a, b, c)) {
            for (int i = 0; i < ks.length; i++) {
                assertEquals(expected[i], r.recallAt().get(ks[i]), 1e-12, "Recall@" + ks[i]);
            }
            assertEquals(expected[4], r.mapAtR(), 1e-12);
            assertEquals(expected[5], r.rPrecision(), 1e-12);
        }
        assertEquals(a, b);
        assertEquals(a, c);
        float[] flat = new float[n * 6];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, flat, i * 6, 6);
        }
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            org.embreg.metric.NeighbourMetrics.Result single =
                    org.embreg.metric.NeighbourMetrics.compute(manager, new org.embreg.data.Matrix(flat, n, 6).normalizedRows(), labels, ks);
            assertEquals(single.ranking(), a.ranking(), "precision@1, MRR and mAP as on one machine");
            assertTrue(a.ranking().meanAveragePrecision() > 0 && a.ranking().meanAveragePrecision() < 1, a.ranking().toString());
        }
        assertTrue(a.recallAt().get(1) > 0.3 && a.recallAt().get(1) < 1, a.toString());
        assertEquals(90, a.queries());
        assertTrue(!a.sampled());
    }

    /** A sample of queries, each against the whole table: the brute force over those queries, the same for the same seed. */
    @Test
    void sampledQueriesEstimateOverTheWholeGallery() {
        Random rnd = new Random(8);
        int n = 120;
        float[][] x = new float[n][5];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 5;
            for (int c = 0; c < 5; c++) {
                x[i][c] = (float) (rnd.nextGaussian() + (c == labels[i] ? 1.2 : 0));
            }
        }
        int[] ks = {1, 2, 4, 8};
        SparkRetrieval.Options sampled = new SparkRetrieval.Options(true, ks, 16, 32, 25, 3);
        SparkRetrieval.Result r = SparkRetrieval.of(table(x, labels, 50, 0, 70), "embedding", "label", null, sampled);
        double[] expected = bruteForce(x, labels, ks, org.embreg.metric.Uniformity.sampleIndices(n, 25, 3));
        for (int i = 0; i < ks.length; i++) {
            assertEquals(expected[i], r.recallAt().get(ks[i]), 1e-12, "Recall@" + ks[i]);
        }
        assertEquals(expected[4], r.mapAtR(), 1e-12);
        assertEquals(expected[5], r.rPrecision(), 1e-12);
        assertEquals(25, r.queries());
        assertEquals(n, r.rows());
        assertTrue(r.sampled());
        assertEquals(r, SparkRetrieval.of(table(x, labels, 120), "embedding", "label", null, sampled));
    }

    @Test
    void badInputIsNamed() {
        float[][] x = {{1, 0}, {0, 1}, {1, 1}};
        EmbregException missing = assertThrows(EmbregException.class,
                () -> SparkRetrieval.of(table(x, new int[] {1, 1, 2}, 3), "embedding", "class", null, options(new int[] {1}, 4, 4)));
        assertTrue(missing.getMessage().contains("'class'"), missing.getMessage());
        float[][] bad = {{1, 0}, {Float.NaN, 1}, {1, 1}};
        Exception e = assertThrows(Exception.class,
                () -> SparkRetrieval.of(table(bad, new int[] {1, 1, 2}, 3), "embedding", "label", null, options(new int[] {1}, 4, 4)));
        assertTrue(String.valueOf(e.getMessage()).contains("row 1 contains NaN"), String.valueOf(e.getMessage()));
    }
}
