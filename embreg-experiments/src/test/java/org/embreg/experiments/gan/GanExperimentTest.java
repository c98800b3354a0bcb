package org.embreg.experiments.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.embreg.linalg.EigenSolvers;
import org.embreg.train.ProgressReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GAN experiment end to end on a few small steps, and the pieces its unrolling relies on. */
class GanExperimentTest {
    @TempDir
    Path tmp;

    private static GanConfig tiny(List<GanArm> arms, int seeds, Path out) {
        return new GanConfig(arms, 6, 0.025, 0.025, 3, seeds, 32, 8, 200, 3, out);
    }

    private static GanExperiment experiment() {
        return new GanExperiment(Map.of(), EigenSolvers.ejml());
    }

    @Test
    void writesTheFilesTheIssueAsksForAndRepeatsWithTheSameSeed() throws Exception {
        List<GanArm> arms = GanArm.paperArms(2, 0.01);
        GanExperiment.GanResult a = experiment().run(tiny(arms, 2, tmp.resolve("a")), ProgressReporter.NONE);
        GanExperiment.GanResult b = experiment().run(tiny(arms, 2, tmp.resolve("b")), ProgressReporter.NONE);
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("a/results.json"))).getAsJsonObject();
        JsonArray armsJson = json.getAsJsonArray("arms");
        assertEquals(List.of("plain", "plain+svmax", "unrolled", "unrolled+svmax"),
                armsJson.asList().stream().map(e -> e.getAsJsonObject().get("name").getAsString()).toList());
        for (var e : armsJson) {
            JsonObject arm = e.getAsJsonObject();
            JsonObject fin = arm.getAsJsonObject("final");
            for (String key : new String[] {"modesCovered", "modesCaptured", "highQualityFraction"}) {
                assertTrue(fin.has(key), key);
                assertTrue(arm.getAsJsonObject("finalStd").has(key), key);
            }
            JsonArray runs = arm.getAsJsonArray("runs");
            assertEquals(2, runs.size());
            // steps 0, 3, 6
            assertEquals(3, runs.get(0).getAsJsonObject().getAsJsonArray("curve").size());
        }
        assertTrue(json.getAsJsonObject("provenance").has("gitSha"));
        // 4 arms x 2 seeds x 3 recorded steps + header
        assertEquals(1 + 4 * 2 * 3, Files.readAllLines(tmp.resolve("a/gan.csv")).size());
        BufferedImage png = ImageIO.read(tmp.resolve("a/heatmaps.png").toFile());
        assertTrue(png.getWidth() > 600 && png.getHeight() > 4 * 150, png.getWidth() + " x " + png.getHeight());
        assertTrue(Files.isRegularFile(tmp.resolve("a/unrolled+svmax-seed4-terms.csv")));
        // same seed, same numbers
        for (int i = 0; i < a.arms().size(); i++) {
            for (int s = 0; s < 2; s++) {
                assertEquals(a.arms().get(i).runs().get(s).curve(), b.arms().get(i).runs().get(s).curve());
            }
        }
        // the same initialization per seed for every configuration: identical samples at step 0
        for (GanExperiment.ArmSummary arm : a.arms()) {
            assertEquals(a.arms().get(0).runs().get(0).curve().get(0), arm.runs().get(0).curve().get(0));
        }
        // plain and plain + SVMax share their batches: SVMax alone makes them differ
        assertNotEquals(a.arms().get(0).runs().get(0).last(), a.arms().get(1).runs().get(0).last());
        assertTrue(a.table().contains("unrolled+svmax"));
    }

    @Test
    void runsOneConfigurationWhenGivenOne() throws Exception {
        GanExperiment.GanResult r = experiment().run(tiny(List.of(new GanArm(1, 0)), 1, tmp.resolve("one")), ProgressReporter.NONE);
        assertEquals(1, r.arms().size());
        assertEquals("unrolled", r.arms().get(0).name());
        assertEquals(1, r.arms().get(0).unrolledSteps());
    }

    @Test
    void armsAndConfigsAreValidated() {
        assertEquals(List.of("plain", "unrolled"), GanArm.paperArms(5, 0).stream().map(GanArm::name).toList());
        assertThrows(IllegalArgumentException.class, () -> GanArm.paperArms(0, 0.01));
        assertThrows(IllegalArgumentException.class, () -> GanArm.paperArms(5, -0.01));
        assertThrows(IllegalArgumentException.class, () -> new GanArm(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GanArm(1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> tiny(List.of(), 1, tmp));
        assertThrows(IllegalArgumentException.class, () -> tiny(List.of(new GanArm(0, 0), new GanArm(0, 0)), 1, tmp));
        assertThrows(IllegalArgumentException.class, () -> GanConfig.paper(GanArm.paperArms(5, 0.01), 0, 0.025, 0.025, 1, 1, tmp));
        assertThrows(IllegalArgumentException.class, () -> GanConfig.paper(GanArm.paperArms(5, 0.01), 10, -1, 0.025, 1, 1, tmp));
        assertThrows(IllegalArgumentException.class, () -> GanConfig.paper(GanArm.paperArms(5, 0.01), 10, 0.025, 0, 1, 1, tmp));
        assertThrows(IllegalArgumentException.class, () -> GanConfig.paper(GanArm.paperArms(5, 0.01), 10, 0.025, 0.025, 1L << 32, 1, tmp));
        GanConfig c = new GanConfig(GanArm.paperArms(5, 0.01), 1000, 0.025, 0.025, 1, 1, 512, 256, 2500, 300, tmp);
        assertEquals(List.of(0, 300, 600, 900, 1000), c.recordedSteps());
        // 750 is as near to 600 as to 900: the earlier wins, and a column is shown once
        assertEquals(List.of(0, 1, 2, 4), org.embreg.experiments.report.Snapshots.pick(c.recordedSteps(), 1000));
        assertEquals(List.of(0, 1, 2, 3, 4), org.embreg.experiments.report.Snapshots.pick(List.of(0, 300, 600, 900, 1200), 1200));
        // a run that stopped at 600 of 1200 ends on its last state
        assertEquals(List.of(0, 1, 2), org.embreg.experiments.report.Snapshots.pick(List.of(0, 300, 600), 1200));
    }

    @Test
    void pytorchDefaultInitializationIsUniformInOneOverSqrtFanIn() {
        try (Model model = Model.newInstance("init")) {
            Engine.getInstance().setRandomSeed(5);
            model.setBlock(GanNetworks.generator(256));
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(4, 256));
            var params = model.getBlock().getParameters();
            // first layer: fan-in 256, bound 1/16; second and third: fan-in 128
            double[] bounds = {1 / 16.0, 1 / 16.0, 1 / Math.sqrt(128), 1 / Math.sqrt(128), 1 / Math.sqrt(128), 1 / Math.sqrt(128)};
            for (int i = 0; i < params.size(); i++) {
                float[] v = params.valueAt(i).getArray().toFloatArray();
                double max = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                assertTrue(max <= bounds[i] + 1e-7, params.keyAt(i) + " max |w| " + max + " above " + bounds[i]);
                if (v.length > 100) {
                    assertTrue(max > 0.9 * bounds[i], params.keyAt(i) + " max |w| " + max + " far below " + bounds[i]);
                }
            }
        }
    }

    @Test
    void restoredDiscriminatorHasItsOldValuesAndStillTrains() {
        try (Model model = Model.newInstance("d")) {
            Engine.getInstance().setRandomSeed(9);
            model.setBlock(GanNetworks.discriminator());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build());
            try (Trainer d = model.newTrainer(config)) {
                d.initialize(new Shape(16, 2));
                Block block = model.getBlock();
                float[] probe = {0.5f, -1f, 2f, 0.25f};
                float[] original = logits(d, probe);
                List<float[]> before = GanTrainer.snapshot(block);
                update(d);
                assertNotEquals(before.get(0)[0], GanTrainer.snapshot(block).get(0)[0]);
                GanTrainer.restore(block, before);
                List<float[]> restored = GanTrainer.snapshot(block);
                for (int i = 0; i < before.size(); i++) {
                    assertArrayEquals(before.get(i), restored.get(i));
                }
                // the forward pass reads the restored values
                assertArrayEquals(original, logits(d, probe));
                // the optimizer still holds these arrays: the next update moves them
                update(d);
                assertNotEquals(before.get(0)[0], GanTrainer.snapshot(block).get(0)[0]);
            }
        }
    }

    /** One step of a GAN with k unrolled updates, from seed 11: the discriminator's parameters and the generator's gradient. */
    private static List<float[]> oneStep(int unrolled) {
        GanConfig config = new GanConfig(List.of(new GanArm(unrolled, 0)), 1, 0.01, 0.01, 11, 1, 32, 8, 10, 1, Path.of("unused"));
        try (Model gm = Model.newInstance("g");
                Model dm = Model.newInstance("d")) {
            Engine.getInstance().setRandomSeed(11);
            gm.setBlock(GanNetworks.generator(8));
            dm.setBlock(GanNetworks.discriminator());
            try (Trainer d = dm.newTrainer(new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss()).optOptimizer(GanTrainer.adam(0.01)))) {
                GanArm arm = new GanArm(unrolled, 0);
                try (Trainer g = gm.newTrainer(new DefaultTrainingConfig(GanTrainer.generatorLoss(arm, d, EigenSolvers.ejml()))
                        .optOptimizer(GanTrainer.adam(0.01)))) {
                    g.initialize(new Shape(32, 8));
                    d.initialize(new Shape(32, 2));
                    GanTrainer.GanStep step = new GanTrainer.GanStep(g, d, unrolled, config, GaussianRing.PAPER, new java.util.Random(11));
                    try (var scope = g.getManager().newSubManager()) {
                        step.forwardBackward(0, scope);
                        List<float[]> out = new java.util.ArrayList<>(GanTrainer.snapshot(dm.getBlock()));
                        out.add(gm.getBlock().getParameters().valueAt(0).getArray().getGradient().toFloatArray());
                        return out;
                    }
                }
            }
        }
    }

    @Test
    void unrollingLeavesTheDiscriminatorAsOneUpdateLeftItButChangesTheGeneratorsGradient() {
        List<float[]> plain = oneStep(0);
        List<float[]> unrolled = oneStep(3);
        // the discriminator: the same first update (same noise and real batch), the 3 unrolled ones undone
        for (int i = 0; i < plain.size() - 1; i++) {
            assertArrayEquals(plain.get(i), unrolled.get(i), "discriminator parameter " + i);
        }
        // the generator's gradient was taken against the looked-ahead discriminator
        float[] gPlain = plain.get(plain.size() - 1);
        float[] gUnrolled = unrolled.get(unrolled.size() - 1);
        double diff = 0;
        for (int i = 0; i < gPlain.length; i++) {
            diff = Math.max(diff, Math.abs(gPlain[i] - gUnrolled[i]));
        }
        assertTrue(diff > 1e-6, "the unrolled discriminator must change the generator's gradient, max difference " + diff);
        // and the same step twice gives the same numbers
        List<float[]> again = oneStep(3);
        for (int i = 0; i < again.size(); i++) {
            assertArrayEquals(unrolled.get(i), again.get(i));
        }
    }

    @Test
    void zeroGradientsClearsWhatABackwardPassLeft() {
        try (Model model = Model.newInstance("d")) {
            model.setBlock(GanNetworks.discriminator());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss());
            try (Trainer d = model.newTrainer(config)) {
                d.initialize(new Shape(16, 2));
                try (var scope = d.getManager().newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(16, 2));
                    try (GradientCollector gc = d.newGradientCollector()) {
                        gc.backward(d.forward(new NDList(x)).singletonOrThrow().sum());
                    }
                }
                NDArray w = model.getBlock().getParameters().valueAt(0).getArray();
                assertTrue(w.getGradient().abs().sum().getFloat() > 0);
                GanTrainer.zeroGradients(model.getBlock());
                assertEquals(0f, w.getGradient().abs().sum().getFloat());
            }
        }
    }

    private static float[] logits(Trainer d, float[] points) {
        try (var scope = d.getManager().newSubManager()) {
            return d.evaluate(new NDList(scope.create(points, new Shape(points.length / 2, 2)))).singletonOrThrow().toFloatArray();
        }
    }

    private static void update(Trainer d) {
        try (var scope = d.getManager().newSubManager()) {
            NDArray x = scope.randomNormal(new Shape(16, 2));
            NDArray y = scope.ones(new Shape(16, 1));
            try (GradientCollector gc = d.newGradientCollector()) {
                gc.backward(d.getLoss().evaluate(new NDList(y), d.forward(new NDList(x))));
            }
            d.step();
        }
    }
}
