package org.embreg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embreg.testing.MnistFixture;
import org.embreg.data.Matrix;
import org.embreg.data.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Matrix random(int rows, int cols, long seed) {
        return org.embreg.testing.Batches.gaussianMatrix(rows, cols, seed);
    }

    @Test
    void analyzeJsonHasTheDocumentedKeys() throws Exception {
        NpyWriter.write(tmp.resolve("e.npy"), random(40, 6, 1));
        NpyWriter.write(tmp.resolve("z.npy"), random(40, 6, 2));
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i % 4;
        }
        NpyWriter.writeLabels(tmp.resolve("y.npy"), y);
        Run r = run("analyze", "--embeddings", tmp.resolve("e.npy").toString(), "--second-view", tmp.resolve("z.npy").toString(),
                "--labels", tmp.resolve("y.npy").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(40, o.get("rows").getAsInt());
        assertEquals(6, o.get("dim").getAsInt());
        JsonObject s = o.getAsJsonObject("spectrum");
        for (String k : new String[] {"meanSingularValue", "lowerBound", "upperBound", "bandPosition", "svmaxLoss", "effectiveRank"}) {
            assertTrue(s.has(k), k);
        }
        JsonObject spread = o.getAsJsonObject("spread");
        for (String k : new String[] {"normalizedRowStd", "healthyRowStd", "uniformity", "uniformityRows", "alignment"}) {
            assertTrue(spread.has(k), k);
        }
        assertTrue(o.getAsJsonArray("collapse").isEmpty(), "random Gaussian rows have not collapsed");
        assertEquals(6, s.getAsJsonArray("singularValues").size());
        assertEquals(6, o.getAsJsonObject("dimensions").getAsJsonArray("std").size());
        assertTrue(o.getAsJsonObject("dimensions").has("collapsed"));
        JsonObject v = o.getAsJsonObject("vicreg");
        for (String k : new String[] {"invariance", "variance", "varianceSecondView", "covariance", "covarianceSecondView", "total"}) {
            assertTrue(v.has(k), k);
        }
        JsonObject ret = o.getAsJsonObject("retrieval");
        assertEquals(4, ret.getAsJsonObject("recallAt").size());
        for (String k : new String[] {"nmi", "ami", "mapAtR", "rPrecision", "precisionAt1", "meanReciprocalRank", "meanAveragePrecision", "classes"}) {
            assertTrue(ret.has(k), "retrieval lacks " + k);
        }
    }

    @Test
    void analyzeReportsACollapsedMatrix() throws Exception {
        Files.writeString(tmp.resolve("c.csv"), "1,2,3\n1,2,3\n1,2,3\n1,2,3.000001\n");
        Run r = run("analyze", "--embeddings", tmp.resolve("c.csv").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("verdict: collapse") && r.out().contains("s_mu band position"), r.out());
    }

    @Test
    void badInputGivesExitTwoAndAMessageNamingIt() throws Exception {
        Path bad = tmp.resolve("bad.npy");
        Files.writeString(bad, "this is not a numpy file at all");
        Run r = run("analyze", "--embeddings", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("magic"), r.err());

        Files.writeString(tmp.resolve("nan.csv"), "1,2\n3,NaN\n4,5\n");
        r = run("analyze", "--embeddings", tmp.resolve("nan.csv").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("row 1") && r.err().contains("NaN"), r.err());

        NpyWriter.write(tmp.resolve("e.npy"), random(10, 3, 1));
        NpyWriter.writeLabels(tmp.resolve("y.npy"), new int[9]);
        r = run("analyze", "--embeddings", tmp.resolve("e.npy").toString(), "--labels", tmp.resolve("y.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("9 labels") && r.err().contains("10 rows"), r.err());

        NpyWriter.write(tmp.resolve("one.npy"), random(1, 3, 1));
        r = run("analyze", "--embeddings", tmp.resolve("one.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("(1, 3)"), r.err());

        r = run("analyze", "--embeddings", tmp.resolve("e.npy").toString(), "--frobnicate");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--frobnicate"), r.err());

        r = run("analyze");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--embeddings"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void ganRunsOneConfigurationAndRefusesMeaninglessOptions() throws Exception {
        Path out = tmp.resolve("gan");
        Run r = run("gan", "--unrolled-steps", "1", "--svmax-weight", "0.01", "--steps", "2", "--seeds", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("unrolled+svmax") && !r.out().contains("plain"), r.out());
        String json = Files.readString(out.resolve("results.json"));
        assertTrue(json.contains("\"final\"") && json.contains("\"modesCovered\"") && json.contains("\"highQualityFraction\""), json);
        assertTrue(Files.exists(out.resolve("heatmaps.png")) && Files.exists(out.resolve("gan.csv")));
        for (String[] bad : new String[][] {{"--steps", "0"}, {"--seeds", "0"}, {"--lr", "-1"}, {"--unrolled-steps", "0"},
            {"--unrolled-steps", "-2", "--svmax-weight", "0"}, {"--unrolled-steps", "-2"}, {"--svmax-weight", "-0.1"}, {"--lr", "NaN"},
            {"--d-lr", "0"}, {"--seed", "4294967296"}}) {
            String[] args = new String[bad.length + 3];
            args[0] = "gan";
            System.arraycopy(bad, 0, args, 1, bad.length);
            args[bad.length + 1] = "--out";
            args[bad.length + 2] = tmp.resolve("bad").toString();
            Run b = run(args);
            assertEquals(2, b.code(), String.join(" ", bad) + ": " + b.err());
            assertTrue(b.err().contains(bad[0]) || b.err().contains(bad[bad.length - 2]), String.join(" ", bad) + ": " + b.err());
        }
    }

    @Test
    void circleRunsOnTinyGeneratedDataAndNamesBadInput() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("circle");
        Run r = run("circle", "--data", data.toString(), "--epochs", "1", "--seeds", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("svmax") && r.out().contains("angle entropy"), r.out());
        for (String f : new String[] {"results.json", "circle.csv", "circle.png", "none.gif", "svmax.gif"}) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        Run missing = run("circle", "--data", tmp.resolve("no-digits-here").toString(), "--out", out.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--data") && missing.err().contains("no-digits-here") && missing.err().contains("no such directory"),
                missing.err());
        assertEquals(2, run("circle", "--epochs", "0", "--data", data.toString(), "--out", out.toString()).code());
        assertEquals(2, run("circle", "--seeds", "-1", "--data", data.toString(), "--out", out.toString()).code());
        assertEquals(2, run("circle", "--svmax-weight", "0", "--data", data.toString(), "--out", out.toString()).code());
    }

    @Test
    void sslRunsOnTinyGeneratedDataAndRefusesAnUnknownPreset() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("ssl");
        Run r = run("ssl", "--data", data.toString(), "--steps", "2", "--batch", "8", "--expander", "16-16", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("VICReg") && r.out().contains("random init") && r.out().contains("pixels"), r.out());
        assertTrue(Files.exists(out.resolve("results.json")));
        // the same directory with another configuration: its checkpoint is not resumed, and the error says why
        Run other = run("ssl", "--data", data.toString(), "--steps", "3", "--batch", "8", "--expander", "16-16", "--out", out.toString());
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("pretraining.checkpoint") && other.err().contains("steps: 2 there, 3 here"), other.err());
        Run bad = run("ssl", "--preset", "huge", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("huge") && bad.err().contains("quick"), bad.err());
        Run encoder = run("ssl", "--encoder", "vgg", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, encoder.code());
        assertTrue(encoder.err().contains("vgg") && encoder.err().contains("mobilenetv2"), encoder.err());
        Run expander = run("ssl", "--expander", "512-x", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, expander.code());
        assertTrue(expander.err().contains("--expander"), expander.err());
        Run batch = run("ssl", "--batch", "100", "--steps", "2", "--data", data.toString(), "--out", out.toString());
        assertEquals(2, batch.code());
        assertTrue(batch.err().contains("batch"), batch.err());
    }

    @Test
    void demoRunsOnTinyGeneratedData() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("run");
        Run r = run("demo", "--data", data.toString(), "--out", out.toString(), "--iterations", "3", "--classes-per-batch", "5",
                "--samples-per-class", "2", "--dim", "8", "--width", "8", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vicreg-variance"), r.out());
        assertTrue(Files.exists(out.resolve("results.json")));
        r = run("demo", "--data", tmp.resolve("missing").toString(), "--out", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing") && r.err().contains("no such directory"), r.err());
    }

    @Test
    void retrievalRunsEveryLossAndReloadsWeights() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        String[] losses = {"contrastive", "triplet", "npair", "angular", "lifted"};
        String[] regularizers = {"svmax", "none", "spread-out", "vicreg-variance", "svmax"};
        for (int i = 0; i < losses.length; i++) {
            Path out = tmp.resolve("r-" + losses[i]);
            Run r = run("retrieval", "--loss", losses[i], "--regularizer", regularizers[i], "--lr", "0.01", "--iterations", "2", "--batch",
                    "12", "--dim", "8", "--width", "8", "--data", data.toString(), "--out", out.toString());
            assertEquals(0, r.code(), losses[i] + ": " + r.err());
            JsonObject o = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
            assertTrue(o.has("config") && o.has("provenance"), losses[i]);
            JsonObject arm = o.getAsJsonObject("arm");
            for (String k : new String[] {"recallAt", "nmi", "mapAtR", "rPrecision", "ami", "precisionAt1", "meanReciprocalRank", "meanAveragePrecision",
                "meanSingularValue", "lowerBound", "upperBound",
                "effectiveRank", "collapsedDimensions"}) {
                assertTrue(arm.getAsJsonObject("metrics").has(k), losses[i] + " results lack " + k);
            }
            assertEquals(losses[i], arm.get("loss").getAsString());
            assertTrue(arm.getAsJsonObject("objective").getAsJsonArray("parts").size() >= 1, "the loss's hyperparameters are recorded");
        }
        JsonObject triplet = JsonParser.parseString(Files.readString(tmp.resolve("r-triplet/results.json"))).getAsJsonObject();
        assertEquals(0.0, triplet.getAsJsonObject("arm").get("lambda").getAsDouble());
        JsonObject angular = JsonParser.parseString(Files.readString(tmp.resolve("r-lifted/results.json"))).getAsJsonObject();
        assertEquals(1.0, angular.getAsJsonObject("arm").get("lambda").getAsDouble());
        Run resumed = run("retrieval", "--loss", "contrastive", "--lr", "0.01", "--iterations", "1", "--batch", "12", "--dim", "8", "--width",
                "8", "--data", data.toString(), "--out", tmp.resolve("again").toString(), "--weights",
                tmp.resolve("r-contrastive/svmax.params").toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("r-contrastive/svmax.params")),
                Files.readAllBytes(tmp.resolve("again/none.params"))), "the loaded parameters were trained");
        Run wrongDim = run("retrieval", "--loss", "contrastive", "--lr", "0.01", "--iterations", "1", "--batch", "12", "--dim", "9", "--width",
                "8", "--data", data.toString(), "--out", tmp.resolve("bad").toString(), "--weights",
                tmp.resolve("r-contrastive/svmax.params").toString());
        assertEquals(2, wrongDim.code());
        assertTrue(wrongDim.err().contains("--weights"), wrongDim.err());
    }

    @Test
    void retrievalRegularizesEveryLayerAndReportsEachLayersCollapse() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("layers");
        Run r = run("retrieval", "--loss", "contrastive", "--layer-regularizer", "svmax", "--layer-weight", "0.5", "--lr", "0.01", "--iterations", "3",
                "--log-every", "1", "--batch", "12", "--dim", "8", "--width", "8", "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("svmax on every layer (weight 0.5)"), r.out());
        JsonObject o = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
        JsonObject arm = o.getAsJsonObject("arm");
        assertEquals("none+layers-svmax", arm.get("name").getAsString());
        JsonObject layers = arm.getAsJsonObject("layers");
        assertEquals(List.of("03LambdaBlock", "06LambdaBlock", "08Linear"), List.copyOf(layers.keySet()));
        assertEquals(8, layers.getAsJsonObject("03LambdaBlock").get("dim").getAsInt(), "the first layer's 8 channels, pooled");
        assertEquals(16, layers.getAsJsonObject("06LambdaBlock").get("dim").getAsInt());
        for (String point : layers.keySet()) {
            double rank = layers.getAsJsonObject(point).get("effectiveRank").getAsDouble();
            assertTrue(rank >= 1 && rank <= 12, point + " effective rank " + rank);
            assertTrue(Files.readAllLines(out.resolve("none+layers-svmax-layer-" + point + ".csv")).size() == 4, point + ": iterations 0-2 logged");
        }
        assertEquals("svmax", o.getAsJsonObject("config").getAsJsonObject("training").getAsJsonObject("layers").get("regularizer").getAsString()
                .toLowerCase(java.util.Locale.ROOT));
        String header = Files.readAllLines(out.resolve("none+layers-svmax-terms.csv")).get(0);
        assertTrue(header.contains("layers.03LambdaBlock") && header.contains("layers.08Linear"), header);
        // the wrapped network saves the plain network's parameters: a plain run starts from them
        Run plain = run("retrieval", "--loss", "contrastive", "--lr", "0.01", "--iterations", "1", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", tmp.resolve("plain").toString(), "--weights", out.resolve("none+layers-svmax.params").toString());
        assertEquals(0, plain.code(), plain.err());
        Path decayed = tmp.resolve("decayed");
        Run wd = run("retrieval", "--loss", "contrastive", "--weight-decay", "0.0005", "--layer-regularizer", "vicreg-variance", "--lr", "0.01",
                "--iterations", "1", "--batch", "12", "--dim", "8", "--width", "8", "--data", data.toString(), "--out", decayed.toString());
        assertEquals(0, wd.code(), wd.err());
        assertTrue(wd.out().contains("vicreg-variance on every layer (weight 1.0) + weight decay 5.0E-4"), wd.out());
        assertTrue(Files.exists(decayed.resolve("none+layers-vicreg-variance+wd0.0005.params")));
        Run badDecay = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--weight-decay", "NaN");
        assertEquals(2, badDecay.code());
        assertTrue(badDecay.err().contains("--weight-decay must be a finite number >= 0, got NaN"), badDecay.err());
        Run alone = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--layer-weight", "2");
        assertEquals(2, alone.code());
        assertTrue(alone.err().contains("--layer-weight has no effect without --layer-regularizer"), alone.err());
        // a block monitor still finds its block inside the wrapped network
        Run block = run("retrieval", "--loss", "contrastive", "--watch-layers", "--monitor-block", "04Conv2d", "--lr", "0.01", "--iterations", "2",
                "--batch", "12", "--dim", "8", "--width", "8", "--data", data.toString(), "--out", tmp.resolve("block-watched").toString());
        assertEquals(0, block.code(), block.err());
        assertEquals(List.of("03LambdaBlock", "06LambdaBlock", "08Linear"), List.copyOf(JsonParser.parseString(Files.readString(
                tmp.resolve("block-watched/results.json"))).getAsJsonObject().getAsJsonObject("arm").getAsJsonObject("layers").keySet()));
        Run sslAlone = run("ssl", "--layer-weight", "2");
        assertEquals(2, sslAlone.code());
        assertTrue(sslAlone.err().contains("--layer-weight has no effect without --layer-regularizer"), sslAlone.err());
        Run negative = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--layer-regularizer", "svmax", "--layer-weight", "-1");
        assertEquals(2, negative.code());
        assertTrue(negative.err().contains("--layer-weight must be a finite number >= 0, got -1.0"), negative.err());
    }

    @Test
    void aDivergedRunSaysWhereAndReportsNoScores() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("diverged");
        Run r = run("retrieval", "--loss", "contrastive", "--lr", "1e30", "--iterations", "6", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("diverged at iteration") && r.out().contains("no retrieval scores"), r.out());
        JsonObject arm = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject().getAsJsonObject("arm");
        assertTrue(!arm.has("metrics"), "a diverged run reports no scores: " + arm);
        JsonObject d = arm.getAsJsonObject("divergence");
        assertTrue(d.get("iteration").getAsInt() >= 1 && !d.get("where").getAsString().isEmpty(), d.toString());
        assertEquals(d.get("iteration").getAsInt(), arm.get("iterations").getAsInt(), "the updates applied before it diverged");
        assertTrue(Files.size(out.resolve("none.params")) > 100, "the last good parameters are kept");
    }

    @Test
    void anOutputThatIsAFileOrCannotBeWrittenIsNamedBeforeTraining() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path file = tmp.resolve("a-file");
        Files.writeString(file, "x");
        Run r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(file.toString()) && r.err().contains("is a file"), r.err());
        Path locked = tmp.resolve("locked");
        Files.createDirectories(locked);
        locked.toFile().setWritable(false);
        if (!Files.isWritable(locked)) { // root can write anywhere
            r = run("demo", "--data", data.toString(), "--out", locked.resolve("run").toString(), "--iterations", "1");
            assertEquals(2, r.code());
            assertTrue(r.err().contains("cannot write") && r.err().contains(locked.toString()), r.err());
        }
        locked.toFile().setWritable(true);
    }

    @Test
    void optionsWithoutEffectAreRefused() throws Exception {
        Run r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--lambda", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--lambda has no effect without --regularizer"), r.err());
        r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--backbone", "resnet", "--width", "16");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--width") && r.err().contains("resnet"), r.err());
        for (String option : new String[] {"--max-train", "--max-test"}) {
            r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", option, "-5");
            assertEquals(2, r.code());
            assertTrue(r.err().contains(option + " must be >= 0, got -5"), r.err());
        }
        r = run("demo", "--width", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("width 4 is below 8") && r.err().contains("gradients"), r.err());
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", tmp.resolve("few").toString(), "--max-test", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--max-test 5") && r.err().contains("at least 9"), r.err());
        r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "1", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", tmp.resolve("block").toString(), "--monitor-block", "09Dense");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("09Dense") && r.err().contains("01Conv2d"), r.err());
        r = run("retrieval", "--loss", "contrastive", "--lr", "0.1", "--iterations", "2", "--batch", "12", "--dim", "8", "--width", "8",
                "--data", data.toString(), "--out", tmp.resolve("block").toString(), "--monitor-block", "04Conv2d", "--log-every", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(tmp.resolve("block/results.json")).contains("\"block\": \"04Conv2d\""), "the monitor's block is recorded");
        assertTrue(Files.readAllLines(tmp.resolve("block/none-terms.csv")).get(0).startsWith("iteration,total,contrastive,"), "every term to CSV");
        r = run("demo", "--log-every", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--log-every must be >= 1"), r.err());
    }

    @Test
    void retrievalRejectsUnknownNamesAndBadBatches() {
        Run r = run("retrieval", "--loss", "hinge", "--lr", "0.1", "--iterations", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown loss 'hinge'") && r.err().contains("angular"), r.err());
        r = run("retrieval", "--loss", "triplet", "--lr", "0.1", "--iterations", "1", "--batch", "100");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--batch: batch size 100") && r.err().contains("multiple of its 6"), r.err());
        r = run("retrieval", "--loss", "npair", "--regularizer", "dropout", "--lr", "0.1", "--iterations", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown regularizer 'dropout'"), r.err());
    }

    @Test
    void studiesNameWhatIsWrong() {
        Run r = run("study");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("lr, batch-dim, spectrum or layers"), r.err());
        r = run("study", "spectrum", "--preset", "huge");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--preset") && r.err().contains("huge"), r.err());
        r = run("study", "batch-dim", "--losses", "contrastive,hinge");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown loss 'hinge'"), r.err());
        Path missing = tmp.resolve("no-such-data");
        r = run("study", "layers", "--seeds", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--seeds must be >= 1, got 0"), r.err());
        r = run("study", "layers", "--backbones", "small-cnn,vgg");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("vgg"), r.err());
        r = run("study", "layers", "--backbones", "resnet,small-cnn,resnet");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--backbones lists resnet twice"), r.err());
        for (String study : new String[] {"lr", "batch-dim", "spectrum", "layers"}) {
            r = run("study", study, "--data", missing.toString(), "--out", tmp.resolve("s-" + study).toString());
            assertEquals(2, r.code(), study + ": " + r.err());
            assertTrue(r.err().contains(missing.toString()), r.err());
        }
        r = run("study", "layers", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--[no-]ssl") && r.out().contains("self-supervised"), r.out());
        r = run("study", "layers", "--no-ssl=maybe");
        assertEquals(2, r.code(), r.err());
        r = run("study", "spectrum", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Figure 6") && r.out().contains("--losses") && r.out().contains("--preset"), r.out());
    }

    @Test
    void benchRecallAndNmiPrintMedianMillisAndTheMetric() {
        Run r = run("bench", "recall", "--n", "60", "--dim", "4", "--classes", "5", "--repeats", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(o.get("medianMillis").getAsDouble() > 0 && o.get("recallAt1").getAsDouble() > 0.5, r.out());
        r = run("bench", "nmi", "--n", "60", "--dim", "4", "--clusters", "5", "--repeats", "1", "--warmup", "0", "--json");
        assertEquals(0, r.code(), r.err());
        o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(o.get("medianMillis").getAsDouble() > 0 && o.get("nmi").getAsDouble() > 0.5, r.out());
        r = run("bench", "nmi", "--n", "3", "--clusters", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--clusters"), r.err());
    }

    @Test
    void benchStepPrintsTheStepAndItsPhases() {
        Run r = run("bench", "step", "--batch", "4", "--size", "8", "--width", "2", "--dim", "4", "--repeats", "3", "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        double total = o.get("medianMillis").getAsDouble();
        assertTrue(total > 0 && o.get("forwardMillis").getAsDouble() > 0 && o.get("backwardMillis").getAsDouble() > 0, r.out());
        // every phase is part of every step, so each phase's median is at most the step's median
        for (String phase : new String[] {"forwardMillis", "lossMillis", "backwardMillis", "stepMillis"}) {
            assertTrue(o.get(phase).getAsDouble() <= total, phase + " is part of the step: " + r.out());
        }
        assertEquals("mean-square", o.get("objective").getAsString());
        r = run("bench", "step", "--batch", "8", "--size", "8", "--width", "2", "--dim", "4", "--repeats", "2", "--warmup", "1", "--loss",
                "contrastive", "--regularizer", "svmax", "--json");
        assertEquals(0, r.code(), r.err());
        o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("contrastive + svmax", o.get("objective").getAsString());
        assertTrue(o.get("lossMillis").getAsDouble() > 0, r.out());
        r = run("bench", "step", "--size", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--size >= 8"), r.err());
        r = run("bench", "step", "--regularizer", "svmax");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--regularizer svmax needs a --loss"), r.err());
        r = run("bench", "step", "--loss", "contrastive", "--batch", "6");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--batch"), r.err());
    }

    @Test
    void benchRegularizersTimesVicregAgainstSvmaxPerSize() {
        Run r = run("bench", "regularizers", "--batch", "8", "--dims", "4,16", "--rounds", "3", "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        com.google.gson.JsonArray sizes = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("sizes");
        assertEquals(2, sizes.size(), r.out());
        for (int i = 0; i < 2; i++) {
            JsonObject o = sizes.get(i).getAsJsonObject();
            assertEquals(i == 0 ? 4 : 16, o.get("dim").getAsInt());
            for (String k : new String[] {"vicreg variance + covariance", "svmax bounded", "svmax vanilla"}) {
                JsonObject t = o.getAsJsonObject(k);
                assertTrue(t.get("lowerQuartileMillis").getAsDouble() <= t.get("medianMillis").getAsDouble()
                        && t.get("medianMillis").getAsDouble() <= t.get("upperQuartileMillis").getAsDouble() && t.get("medianMillis").getAsDouble() > 0,
                        r.out());
            }
        }
        r = run("bench", "regularizers", "--dims", "512,1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dims"), r.err());
    }

    @Test
    void benchListenersTimesTheStepWithAndWithoutThem() {
        Run r = run("bench", "listeners", "--blocks", "1", "--steps", "2", "--log-every", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(o.get("stepMillis").getAsDouble() > o.get("listenerMillis").getAsDouble() && o.get("listenerMillis").getAsDouble() > 0, r.out());
        r = run("bench", "listeners", "--blocks", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--blocks"), r.err());
    }

    @Test
    void benchLossTimesEveryLossAndRefusesABatchOffTheLayout() {
        for (String loss : new String[] {"contrastive", "triplet", "npair", "angular", "lifted"}) {
            Run r = run("bench", "loss", "--loss", loss, "--regularizer", "svmax", "--batch", "12", "--dim", "8", "--warmup", "1", "--repeats", "2",
                    "--json");
            assertEquals(0, r.code(), loss + ": " + r.err());
            JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
            assertEquals(loss, o.get("loss").getAsString());
            assertEquals(12, o.get("batch").getAsInt());
            assertTrue(o.get("medianMillis").getAsDouble() > 0, r.out());
        }
        Run r = run("bench", "loss", "--loss", "triplet", "--batch", "100");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("multiple of its 6") && r.err().contains("--batch: batch size 100"), r.err());
    }

    @Test
    void benchSvmaxPrintsMedianMillis() {
        Run r = run("bench", "svmax", "--batch", "16", "--dim", "8", "--warmup", "1", "--repeats", "3", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(JsonParser.parseString(r.out()).getAsJsonObject().get("medianMillis").getAsDouble() > 0);
    }

    /** Asserts exit code 2, an error naming every fragment, no stack trace and nothing on stdout. */
    static void assertRefused(Run r, String... fragments) {
        assertEquals(2, r.code(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
        }
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), "no stack trace: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void analyzeRefusesOverflowingShapesDevicesAndTooFewColumns() throws Exception {
        Path huge = tmp.resolve("huge.npy");
        Files.write(huge, org.embreg.testing.NpyFixture.npy("<f4", false, "(9223372036854775807, 2)", new byte[8]));
        assertRefused(run("analyze", "--embeddings", huge.toString(), "--json"), huge.toString(), "(9223372036854775807, 2)");
        Path wide = tmp.resolve("wide.npy");
        Files.write(wide, org.embreg.testing.NpyFixture.npy("<f4", false, "(100000, 100000)", new byte[8]));
        assertRefused(run("analyze", "--embeddings", wide.toString()), wide.toString(), "(100000, 100000)");
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertRefused(run("analyze", "--embeddings", zero.toString()), "/dev/zero", "not a regular file");
        }
        NpyWriter.write(tmp.resolve("one.npy"), random(10, 1, 1));
        assertRefused(run("analyze", "--embeddings", tmp.resolve("one.npy").toString(), "--json"), "--embeddings", "(10, 1)", "at least 2 columns");
        Files.write(tmp.resolve("none.npy"), org.embreg.testing.NpyFixture.npy("<f4", false, "(10, 0)", new byte[0]));
        assertRefused(run("analyze", "--embeddings", tmp.resolve("none.npy").toString(), "--json"), "none.npy", "(10, 0)", "no columns");
    }

    @Test
    void analyzeReadsAByteOrderMarkAndDecimalCommasAndRefusesATypoInTheFirstRow() throws Exception {
        Path bom = tmp.resolve("bom.csv");
        Files.writeString(bom, "\uFEFF1,2,3\n4,5,7\n1,0,0\n");
        Run r = run("analyze", "--embeddings", bom.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(3, JsonParser.parseString(r.out()).getAsJsonObject().get("rows").getAsInt());
        Path eu = tmp.resolve("eu.csv");
        Files.writeString(eu, "1,5;2,25;0\n3;4,5;1\n0;1;0,5\n");
        Path plain = tmp.resolve("plain.csv");
        Files.writeString(plain, "1.5,2.25,0\n3,4.5,1\n0,1,0.5\n");
        Run european = run("analyze", "--embeddings", eu.toString(), "--json");
        assertEquals(0, european.code(), european.err());
        assertEquals(run("analyze", "--embeddings", plain.toString(), "--json").out(), european.out());
        Path typo = tmp.resolve("typo.csv");
        Files.writeString(typo, "1,2x,3\n4,5,7\n1,0,0\n");
        assertRefused(run("analyze", "--embeddings", typo.toString()), typo.toString(), "line 1, column 2", "'2x'");
        Path spaced = tmp.resolve("spaced.txt");
        Files.writeString(spaced, "1,5 2,25\n3 4\n");
        assertRefused(run("analyze", "--embeddings", spaced.toString()), spaced.toString(), "line 1", "decimal point");
    }

    @Test
    void analyzeRefusesLabelsThatAreNotIntsAndMeaninglessOptions() throws Exception {
        NpyWriter.write(tmp.resolve("e.npy"), random(3, 2, 1));
        String e = tmp.resolve("e.npy").toString();
        for (String label : new String[] {"Infinity", "NaN", "1e300"}) {
            Path y = tmp.resolve("y.csv");
            Files.writeString(y, "0\n1\n" + label + "\n");
            assertRefused(run("analyze", "--embeddings", e, "--labels", y.toString(), "--json"), y.toString(), "line 3", "'" + label + "'");
        }
        java.nio.ByteBuffer inf = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN).putDouble(0).putDouble(1)
                .putDouble(Double.POSITIVE_INFINITY);
        Files.write(tmp.resolve("y.npy"), org.embreg.testing.NpyFixture.npy("<f8", false, "(3,)", inf.array()));
        assertRefused(run("analyze", "--embeddings", e, "--labels", tmp.resolve("y.npy").toString()), "y.npy", "label 2 is Infinity");
        assertRefused(run("analyze", "--embeddings", e, "--collapse-threshold", "NaN", "--json"), "--collapse-threshold", "NaN");
        assertRefused(run("analyze", "--embeddings", e, "--collapse-threshold", "-1"), "--collapse-threshold", "-1");
        Run empty = run("analyze", "--embeddings", "");
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("--embeddings") && empty.err().contains("the path is empty"), empty.err());
        Run unmappable = run("analyze", "--embeddings", "a\u0000b.npy");
        assertEquals(2, unmappable.code());
        assertTrue(unmappable.err().contains("--embeddings") && unmappable.err().contains("not a valid path"), unmappable.err());
    }

    @Test
    void analyzeChoosesTheFormatByContentNotByName() throws Exception {
        Path npyNamedCsv = tmp.resolve("e.csv");
        NpyWriter.write(npyNamedCsv, random(12, 3, 1));
        Path csvNamedNpy = tmp.resolve("y.npy");
        Files.writeString(csvNamedNpy, "0\n1\n".repeat(6));
        Run r = run("analyze", "--embeddings", npyNamedCsv.toString(), "--labels", csvNamedNpy.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(12, o.get("rows").getAsInt());
        assertEquals(2, o.getAsJsonObject("retrieval").get("classes").getAsInt());
        assertTrue(!r.out().contains("NaN"), r.out());
    }

    @Test
    void benchStepRefusesSizesThatOverflow() {
        Run r = run("bench", "step", "--batch", "100000", "--size", "4096");
        assertRefused(r, "--batch 100000", "--size 4096", "1677721600000 pixels");
    }
}
