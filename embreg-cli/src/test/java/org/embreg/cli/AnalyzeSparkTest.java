package org.embreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.embreg.data.Matrix;
import org.embreg.data.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --spark 'local[2]'}: the same JSON keys and retrieval numbers as without it, Spark's provenance, exit 2 for bad input. */
class AnalyzeSparkTest {
    @TempDir
    Path tmp;

    private void shards(Matrix m, int[] y, int... sizes) throws Exception {
        Files.createDirectories(tmp.resolve("e"));
        Files.createDirectories(tmp.resolve("y"));
        int from = 0;
        for (int i = 0; i < sizes.length; i++) {
            String name = "s" + i + ".npy";
            NpyWriter.write(tmp.resolve("e").resolve(name),
                    new Matrix(Arrays.copyOfRange(m.data(), from * m.cols(), (from + sizes[i]) * m.cols()), sizes[i], m.cols()));
            NpyWriter.writeLabels(tmp.resolve("y").resolve(name), Arrays.copyOfRange(y, from, from + sizes[i]));
            from += sizes[i];
        }
    }

    @Test
    void sparkGivesAnalyzesKeysAndNumbers() throws Exception {
        Matrix m = MainTest.random(240, 6, 11);
        int[] y = new int[240];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 5;
            m.data()[i * 6 + y[i]] += 2.5f;
        }
        NpyWriter.write(tmp.resolve("e.npy"), m);
        NpyWriter.writeLabels(tmp.resolve("y.npy"), y);
        shards(m, y, 100, 140);
        MainTest.Run one = MainTest.run("analyze", "--embeddings", tmp.resolve("e.npy").toString(), "--labels", tmp.resolve("y.npy").toString(), "--json");
        MainTest.Run spark = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", tmp.resolve("e").toString(), "--labels",
                tmp.resolve("y").toString(), "--json");
        assertEquals(0, one.code(), one.err());
        assertEquals(0, spark.code(), spark.err());
        JsonObject a = JsonParser.parseString(one.out()).getAsJsonObject();
        JsonObject b = JsonParser.parseString(spark.out()).getAsJsonObject();
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.add("spark");
        assertEquals(keys, new java.util.TreeSet<>(b.keySet()));
        for (String k : new String[] {"spectrum", "dimensions", "spread", "retrieval"}) {
            assertEquals(a.getAsJsonObject(k).keySet(), b.getAsJsonObject(k).keySet(), k);
        }
        assertEquals(a.getAsJsonObject("retrieval").get("recallAt"), b.getAsJsonObject("retrieval").get("recallAt"));
        assertEquals(a.getAsJsonObject("retrieval").get("mapAtR"), b.getAsJsonObject("retrieval").get("mapAtR"));
        assertEquals(a.getAsJsonObject("spectrum").get("meanSingularValue").getAsDouble(),
                b.getAsJsonObject("spectrum").get("meanSingularValue").getAsDouble(), 1e-9);
        JsonObject p = b.getAsJsonObject("spark");
        assertEquals("local[2]", p.get("master").getAsString());
        assertEquals(2, p.get("partitions").getAsInt());
        assertTrue(p.getAsJsonObject("stageSeconds").has("retrieval"), p.toString());

        MainTest.Run text = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", tmp.resolve("e").toString(), "--labels",
                tmp.resolve("y").toString(), "--sample-queries", "50", "--skip-nmi");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("estimated from 50 sampled queries") && text.out().contains("spark 3.5"), text.out());
        assertTrue(!text.out().contains("NMI") && !text.out().contains("k-means"), "--skip-nmi: " + text.out());
    }

    @Test
    void badInputAndMeaninglessOptionsExitWith2() throws Exception {
        Matrix m = MainTest.random(30, 4, 12);
        m.data()[21 * 4 + 2] = Float.POSITIVE_INFINITY;
        int[] y = new int[30];
        shards(m, y, 10, 20);
        String e = tmp.resolve("e").toString();
        MainTest.Run r = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", e);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(e + ": row 21 contains NaN or Inf"), r.err());

        r = MainTest.run("analyze", "--spark", "--embeddings", e); // no master: the one spark-submit set, else local[*]
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(e + ": row 21 contains NaN or Inf"), r.err());

        r = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", e, "--second-view", e);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--second-view is not supported with --spark"), r.err());
        r = MainTest.run("analyze", "--embeddings", tmp.resolve("x.npy").toString(), "--column", "v");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--column is only meaningful with --spark"), r.err());
        Files.writeString(tmp.resolve("t.parquet"), "");
        r = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", tmp.resolve("t.parquet").toString(), "--labels", e);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--label-column"), r.err());
        r = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", tmp.resolve("t.parquet").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(tmp.resolve("t.parquet") + ": cannot read it as Parquet"), r.err());
        r = MainTest.run("analyze", "--spark", "warp://nowhere", "--embeddings", e);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--spark: cannot start Spark with master 'warp://nowhere'"), r.err());
        NpyWriter.writeLabels(tmp.resolve("few.npy"), new int[] {1, 2, 3});
        r = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", e, "--labels", tmp.resolve("few.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--labels has 3 labels but --embeddings has 30 rows"), r.err());
    }

    /** Train on one machine (retrieval), embed on Spark (embed), evaluate on Spark (analyze --spark): the embeddings are the model's. */
    @Test
    void embedWritesTheModelsEmbeddingsAsParquet() throws Exception {
        Path data = tmp.resolve("data");
        org.embreg.testing.MnistFixture.writeMnistLayout(data);
        Path run = tmp.resolve("run");
        MainTest.Run trained = MainTest.run("retrieval", "--loss", "contrastive", "--lr", "0.01", "--iterations", "2", "--batch", "12", "--dim", "6",
                "--width", "8", "--data", data.toString(), "--out", run.toString());
        assertEquals(0, trained.code(), trained.err());
        Path out = tmp.resolve("emb.parquet");
        MainTest.Run r = MainTest.run("embed", "--run", run.toString(), "--images", data.toString(), "--out", out.toString(), "--spark", "local[2]",
                "--batch", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("_embreg.json")), "provenance beside the Parquet files");

        org.embreg.data.ImageSet test = org.embreg.data.MnistLayout.test(data);
        Matrix expected;
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            org.embreg.experiments.model.TrainedModel model = org.embreg.experiments.model.TrainedModel.fromRun(run, null);
            expected = org.embreg.experiments.model.Embedder.embed(manager, test, 500, model.network(manager, test.height(), test.width()));
        }
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            java.util.List<org.apache.spark.sql.Row> rows = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
            assertEquals(test.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                org.apache.spark.sql.Row row = rows.get(i);
                assertEquals(i, row.getLong(row.fieldIndex("id")));
                assertEquals(test.labels()[i], row.getInt(row.fieldIndex("label")));
                java.util.List<Object> v = row.getList(row.fieldIndex("embedding"));
                assertEquals(6, v.size());
                for (int j = 0; j < 6; j++) {
                    assertEquals(expected.data()[i * 6 + j], ((Number) v.get(j)).floatValue(), 1e-5, "image " + i + " dim " + j);
                }
            }
        } finally {
            spark.stop();
        }

        MainTest.Run analyzed = MainTest.run("analyze", "--spark", "local[2]", "--embeddings", out.toString(), "--label-column", "label", "--id-column",
                "id", "--json");
        assertEquals(0, analyzed.code(), analyzed.err());
        assertEquals(test.size(), JsonParser.parseString(analyzed.out()).getAsJsonObject().get("rows").getAsInt());

        MainTest.Run again = MainTest.run("embed", "--run", run.toString(), "--images", data.toString(), "--out", out.toString(), "--spark", "local[2]");
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--out " + out + " exists"), again.err());
        MainTest.Run arm = MainTest.run("embed", "--run", run.toString(), "--arm", "svmax", "--images", data.toString(), "--out",
                tmp.resolve("x").toString());
        assertEquals(2, arm.code());
        assertTrue(arm.err().contains("--arm svmax: " + run + " holds the arms none"), arm.err());
        MainTest.Run split = MainTest.run("embed", "--run", run.toString(), "--split", "val", "--images", data.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, split.code());
        assertTrue(split.err().contains("--split must be test or train"), split.err());
        MainTest.Run notRun = MainTest.run("embed", "--run", data.toString(), "--images", data.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(2, notRun.code());
        assertTrue(notRun.err().contains("has no results.json"), notRun.err());
    }
}
