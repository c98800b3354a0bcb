package org.embreg.experiments.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.DatasetLocator;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.embreg.linalg.EigenSolvers;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end smoke test of the demo on a tiny generated MNIST-layout dataset. */
class DemoExperimentTest {
    @TempDir
    Path tmp;

    static DemoConfig tiny(Path data, Path out) {
        TrainingConfig t = new TrainingConfig(RankingLossKind.CONTRASTIVE, Backbone.SMALL_CNN, null, 4, 0.05, 5, 2, 8, 8, RegularizerKind.NONE, 0, 3, 2);
        return new DemoConfig(t, 1.0, 1.0, data, out, 0, 0);
    }

    static DemoExperiment demo(Path home) {
        return new DemoExperiment(DatasetLocator.fashionMnist(home), Map.of(), EigenSolvers.ejml());
    }

    @Test
    void writesResultsCsvAndChartsAndRepeatsWithTheSameSeed() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        DemoExperiment.DemoResult a = demo(tmp).run(tiny(data, tmp.resolve("a")), ProgressReporter.NONE);
        DemoExperiment.DemoResult b = demo(tmp).run(tiny(data, tmp.resolve("b")), ProgressReporter.NONE);
        JsonObject results = JsonParser.parseString(Files.readString(tmp.resolve("a/results.json"))).getAsJsonObject();
        JsonArray arms = results.getAsJsonArray("arms");
        assertEquals(3, arms.size());
        List<String> names = List.of("none", "svmax", "vicreg-variance");
        for (int i = 0; i < 3; i++) {
            JsonObject arm = arms.get(i).getAsJsonObject();
            assertEquals(names.get(i), arm.get("name").getAsString());
            JsonObject metrics = arm.getAsJsonObject("metrics");
            for (String k : new String[] {"1", "2", "4", "8"}) {
                double r = metrics.getAsJsonObject("recallAt").get(k).getAsDouble();
                assertTrue(r >= 0 && r <= 1, "recall " + r);
            }
            for (String key : new String[] {"nmi", "meanSingularValue", "lowerBound", "upperBound", "collapsedDimensions", "mapAtR", "rPrecision", "ami",
                "precisionAt1", "meanReciprocalRank", "meanAveragePrecision"}) {
                assertTrue(metrics.has(key), key);
            }
            assertTrue(arm.getAsJsonObject("objective").has("parts"), "the loss's hyperparameters are recorded");
            assertEquals(a.arms().get(i).metrics(), b.arms().get(i).metrics(), "the same seed gives the same numbers");
            assertEquals(a.arms().get(i).log().get(1).terms(), b.arms().get(i).log().get(1).terms());
        }
        JsonObject prov = results.getAsJsonObject("provenance");
        for (String key : new String[] {"seed", "javaVersion", "djlVersion", "pytorchVersion", "gitSha", "device", "processor", "wallSeconds"}) {
            assertTrue(prov.has(key), key);
        }
        List<String> csv = Files.readAllLines(tmp.resolve("a/training-log.csv"));
        assertTrue(csv.get(0).startsWith("arm,iteration,learningRate,total"));
        assertEquals(1 + 3 * 3, csv.size(), "iterations 0, 2 and 3 logged for each arm");
        for (String png : new String[] {"mean-singular-value.png", "recall-at-k.png"}) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(tmp.resolve("a").resolve(png)), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
        }
        assertTrue(a.table().contains("svmax"));
        for (String name : names) {
            assertTrue(Files.size(tmp.resolve("a").resolve(name + ".params")) > 100, name + ".params");
        }
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        Path missing = tmp.resolve("nowhere");
        EmbregException e = assertThrows(EmbregException.class, () -> demo(tmp).run(tiny(missing, tmp.resolve("o")), ProgressReporter.NONE));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
