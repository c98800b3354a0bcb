package org.embreg.experiments.circle;

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
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.embreg.EmbregException;
import org.embreg.data.DatasetLocator;
import org.embreg.linalg.EigenSolvers;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The circle experiment end to end on a tiny generated MNIST-layout dataset. */
class CircleExperimentTest {
    @TempDir
    Path tmp;

    private CircleExperiment experiment() {
        return new CircleExperiment(DatasetLocator.mnist(tmp.resolve("home")), Map.of(), EigenSolvers.ejml());
    }

    private static CircleConfig tiny(Path data, Path out, int epochs, int seeds) {
        return new CircleConfig(epochs, 1.0, 5, seeds, 0.01, 8, 4, 12, data, out);
    }

    @Test
    void writesResultsFramesAndGifsAndRepeatsWithTheSameSeed() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        CircleExperiment.CircleResult a = experiment().run(tiny(data, tmp.resolve("a"), 2, 2), ProgressReporter.NONE);
        CircleExperiment.CircleResult b = experiment().run(tiny(data, tmp.resolve("b"), 2, 2), ProgressReporter.NONE);
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("a/results.json"))).getAsJsonObject();
        JsonArray arms = json.getAsJsonArray("arms");
        assertEquals(List.of("none", "svmax"), arms.asList().stream().map(e -> e.getAsJsonObject().get("name").getAsString()).toList());
        for (var e : arms) {
            JsonObject arm = e.getAsJsonObject();
            for (String key : new String[] {"angleEntropy", "angleEntropyStd", "nearestNeighbourAccuracy", "nearestNeighbourAccuracyStd",
                "meanSingularValue", "lowerBound", "upperBound"}) {
                assertTrue(arm.has(key), key);
            }
            double h = arm.get("angleEntropy").getAsDouble();
            assertTrue(h >= 0 && h <= 1, "entropy " + h);
            // 20 test images of dim 2: L = sqrt(20) / 2, U = sqrt(40) / 2
            assertEquals(Math.sqrt(20) / 2, arm.get("lowerBound").getAsDouble(), 1e-9);
            assertEquals(Math.sqrt(40) / 2, arm.get("upperBound").getAsDouble(), 1e-9);
            JsonArray runs = arm.getAsJsonArray("runs");
            assertEquals(2, runs.size());
            assertEquals(3, runs.get(0).getAsJsonObject().getAsJsonArray("curve").size()); // epochs 0, 1, 2
        }
        assertEquals(20, json.getAsJsonObject("data").get("testImages").getAsInt());
        assertEquals(1 + 2 * 2 * 3, Files.readAllLines(tmp.resolve("a/circle.csv")).size());
        assertTrue(ImageIO.read(tmp.resolve("a/circle.png").toFile()).getWidth() > 5 * CircleFrames.SIDE);
        for (String arm : new String[] {"none", "svmax"}) {
            try (ImageInputStream in = ImageIO.createImageInputStream(tmp.resolve("a/" + arm + ".gif").toFile())) {
                ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
                reader.setInput(in);
                assertEquals(3, reader.getNumImages(true), "one frame per epoch, epoch 0 included");
            }
        }
        for (int arm = 0; arm < 2; arm++) {
            for (int s = 0; s < 2; s++) {
                assertEquals(a.arms().get(arm).runs().get(s).curve(), b.arms().get(arm).runs().get(s).curve());
            }
        }
        // the same initialization for both arms of a seed
        assertEquals(a.arms().get(0).runs().get(0).curve().get(0), a.arms().get(1).runs().get(0).curve().get(0));
    }

    @Test
    void aMissingDataDirectoryIsNamed() {
        EmbregException e = assertThrows(EmbregException.class,
                () -> experiment().run(tiny(tmp.resolve("nowhere"), tmp.resolve("out"), 1, 1), ProgressReporter.NONE));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> CircleConfig.demo(0, 1, 1, 1, null, tmp));
        assertThrows(IllegalArgumentException.class, () -> CircleConfig.demo(1, 0, 1, 1, null, tmp));
        assertThrows(IllegalArgumentException.class, () -> CircleConfig.demo(1, 1, 1, 0, null, tmp));
    }
}
