package org.embreg.experiments.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.linalg.EigenSolvers;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.embreg.experiments.model.LayerRegularization;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssl} end to end on a few batches of a tiny generated dataset. */
class SslExperimentTest {
    @TempDir
    Path tmp;

    private static SslConfig tiny(Path data, Path out) {
        return new SslConfig(4, 8, 0.2, 1e-6, 1, 16, SslEncoder.SMALL_RESNET, List.of(16, 16), 25, 25, 1, 3, 0, 0, 2, data, out);
    }

    @Test
    void writesTheResultsTheIssueNamesAndRepeatsWithTheSameSeed() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        SslExperiment e = new SslExperiment(DatasetLocator.fashionMnist(tmp), Map.of(), EigenSolvers.ejml());
        SslExperiment.SslResult a = e.run(tiny(data, tmp.resolve("a")), ProgressReporter.NONE);
        SslExperiment.SslResult b = e.run(tiny(data, tmp.resolve("b")), ProgressReporter.NONE);
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("a/results.json"))).getAsJsonObject();
        for (String key : new String[] {"knnTop1", "linearTop1", "randomInitKnnTop1", "randomInitLinearTop1", "supervisedKnnTop1",
            "supervisedLinearTop1", "pixelKnnTop1", "finalTerms", "representation", "embedding", "config", "provenance", "onlineKnn"}) {
            assertTrue(json.has(key), key);
        }
        for (String key : new String[] {"meanSingularValue", "lowerBound", "upperBound", "effectiveRank", "normalizedRowStd", "collapsedDimensions"}) {
            assertTrue(json.getAsJsonObject("representation").has(key), key);
        }
        double step = json.get("stepSeconds").getAsDouble();
        double views = json.get("augmentationSecondsPerStep").getAsDouble();
        assertTrue(views > 0 && views < step, views + " of " + step);
        double knn = json.get("knnTop1").getAsDouble();
        assertTrue(knn >= 0 && knn <= 1);
        assertEquals(16, json.getAsJsonObject("embedding").get("dim").getAsInt());
        assertEquals(64, json.getAsJsonObject("representation").get("dim").getAsInt());
        for (String f : new String[] {"terms.csv", "monitor-embedding.csv", "monitor-representation.csv", "online-knn.csv", "terms.png",
            "effective-rank.png", "band-position.png", "online-knn.png", "vicreg.params"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("a").resolve(f)), f);
        }
        assertTrue(Files.readString(tmp.resolve("a/terms.csv")).contains("vicreg.invariance"));
        SslExperiment.SslRecord ra = a.record();
        SslExperiment.SslRecord rb = b.record();
        assertEquals(Files.readString(tmp.resolve("a/terms.csv")), Files.readString(tmp.resolve("b/terms.csv")));
        assertEquals(ra.knnTop1(), rb.knnTop1());
        assertEquals(ra.linearTop1(), rb.linearTop1());
        assertEquals(ra.supervisedLinearTop1(), rb.supervisedLinearTop1());
        assertEquals(ra.finalTerms(), rb.finalTerms());
        assertTrue(a.table().contains("random init"));
    }

    /** SVMax on every layer of the encoder: both views' activations, each layer watched, the same encoder parameters' paths. */
    @Test
    void regularizesAndWatchesEveryLayerOfTheEncoder() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        SslExperiment e = new SslExperiment(DatasetLocator.fashionMnist(tmp), Map.of(), EigenSolvers.ejml());
        SslConfig base = tiny(data, tmp.resolve("layers"));
        SslConfig c = new SslConfig(base.steps(), base.batchSize(), base.baseLearningRate(), base.weightDecay(), base.warmupSteps(), base.width(),
                base.encoder(), base.expander(), base.invarianceWeight(), base.varianceWeight(), base.covarianceWeight(), base.seed(), base.maxTrain(),
                base.maxTest(), base.logEvery(), base.data(), base.out(), LayerRegularization.regularized(RegularizerKind.SVMAX, 0.5));
        e.run(c, ProgressReporter.NONE);
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("layers/results.json"))).getAsJsonObject();
        // the small ResNet: its stem after the ReLU and each of its three residual units
        JsonObject layers = json.getAsJsonObject("layers");
        assertEquals(List.of("03LambdaBlock", "04SequentialBlock", "05SequentialBlock", "06SequentialBlock"), List.copyOf(layers.keySet()));
        assertEquals(64, layers.getAsJsonObject("06SequentialBlock").get("dim").getAsInt());
        String header = Files.readAllLines(tmp.resolve("layers/terms.csv")).get(0);
        assertTrue(header.contains("layers.04SequentialBlock") && header.contains("vicreg.invariance"), header);
        assertTrue(Files.isRegularFile(tmp.resolve("layers/monitor-layer-05SequentialBlock.csv")));
        SslExperiment.SslResult plain = e.run(tiny(data, tmp.resolve("plain")), ProgressReporter.NONE);
        // the layers' term changes training: the invariance term both runs log ends elsewhere
        double layersInvariance = Double.NaN;
        for (var t : json.getAsJsonArray("finalTerms")) {
            if (t.getAsJsonObject().get("name").getAsString().equals("vicreg.invariance")) {
                layersInvariance = t.getAsJsonObject().get("value").getAsDouble();
            }
        }
        double plainInvariance = plain.record().finalTerms().stream().filter(t -> t.name().equals("vicreg.invariance")).findFirst().orElseThrow()
                .value();
        assertTrue(Double.isFinite(layersInvariance) && layersInvariance != plainInvariance, layersInvariance + " against " + plainInvariance);
        assertTrue(plain.record().layers().isEmpty());
    }

    @Test
    void ablationRunsEveryObjectiveFromOneInitialization() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        SslExperiment e = new SslExperiment(DatasetLocator.fashionMnist(tmp), Map.of(), EigenSolvers.ejml());
        SslExperiment.AblationResult r = e.ablation(tiny(data, tmp.resolve("ablation")), ProgressReporter.NONE);
        assertEquals(List.of("vicreg", "no-variance", "no-covariance", "no-invariance", "svmax-bounded", "svmax-vanilla"),
                r.runs().stream().map(SslExperiment.Pretrained::objective).toList());
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("ablation/ablation.json"))).getAsJsonObject();
        assertEquals(6, json.getAsJsonArray("runs").size());
        JsonObject millis = json.getAsJsonObject("lossMillis");
        for (String key : new String[] {"vicreg", "svmax-bounded", "regularizer: vicreg variance + covariance", "regularizer: svmax bounded"}) {
            assertTrue(millis.has(key) && millis.get(key).getAsDouble() > 0, key);
        }
        for (String f : new String[] {"ablation.csv", "table.md", "ablation.png", "svmax-vanilla-terms.csv", "no-variance-online-knn.csv"}) {
            assertTrue(Files.isRegularFile(tmp.resolve("ablation").resolve(f)), f);
        }
        // the objectives differ in what they optimize: the terms logged at the end are not all the same
        assertTrue(r.runs().stream().map(SslExperiment.Pretrained::finalTerms).distinct().count() > 1);
        // SVMax in place of variance logs its terms on each view
        assertTrue(Files.readString(tmp.resolve("ablation/svmax-bounded-terms.csv")).contains("svmax.firstView"));
        assertTrue(r.table().contains("random init") && r.table().contains("median ms"));
    }

    @Test
    void configNamesWhatIsWrong() {
        // spread-out draws its negatives by class label: not in self-supervised pretraining
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class, () -> new SslConfig(4, 8, 0.2, 1e-6, 1, 16,
                SslEncoder.SMALL_RESNET, List.of(16), 25, 25, 1, 3, 0, 0, 2, null, tmp, LayerRegularization.regularized(RegularizerKind.SPREAD_OUT, 1)));
        assertTrue(labels.getMessage().contains("--layer-regularizer spread-out"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SslConfig(4, 8, 0.2, 1e-6, 4, 8, SslEncoder.SMALL_RESNET, List.of(16), 25, 25, 1, 3, 0, 0, 2, null, tmp));
        assertThrows(IllegalArgumentException.class, () -> new SslConfig(4, 8, 0.2, 1e-6, 1, 8, SslEncoder.SMALL_RESNET, List.of(), 25, 25, 1, 3, 0, 0, 2, null, tmp));
        assertThrows(IllegalArgumentException.class, () -> new SslConfig(4, 8, 0.2, 1e-6, 1, 8, SslEncoder.SMALL_RESNET, List.of(16), -1, 25, 1, 3, 0, 0, 2, null, tmp));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SslConfig.parseExpander("512-x"));
        assertTrue(e.getMessage().contains("--expander"));
        assertEquals(List.of(512, 256), SslConfig.parseExpander("512-256"));
    }
}
