package org.embreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.embreg.data.ClassBalancedSampler;
import org.embreg.loss.AngularLoss;
import org.embreg.loss.ContrastiveLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.LiftedStructuredLoss;
import org.embreg.loss.NPairLoss;
import org.embreg.loss.TripletLoss;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.regularizer.SpreadOutRegularizer;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregTermRegularizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every single-view loss and regularizer trains under DJL's own {@code EasyTrain.fit} with DJL's
 * default listeners (which read the loss as a float), a validation set, final batches of one row
 * (DJL's default {@code dropLast = false}) and embreg's listeners.
 */
class EasyTrainTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> losses() {
        List<Supplier<EmbeddingLoss>> all = List.of(
                () -> ContrastiveLoss.builder().build(),
                () -> ContrastiveLoss.builder().optPairing(ContrastiveLoss.Pairing.ALL).build(),
                () -> TripletLoss.builder().build(),
                () -> TripletLoss.builder().optMining(TripletLoss.Mining.SEMI_HARD).build(),
                () -> TripletLoss.builder().optMining(TripletLoss.Mining.ALL).build(),
                () -> NPairLoss.builder().build(),
                () -> AngularLoss.builder().build(),
                () -> LiftedStructuredLoss.builder().build(),
                () -> SvmaxRegularizer.builder().build(),
                () -> SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).optLambda(0.1).build(),
                () -> VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).build(),
                () -> VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).build(),
                () -> SpreadOutRegularizer.builder().optSeed(3).build(),
                () -> WeightedSumLoss.builder().add(1.0, ContrastiveLoss.builder().build()).add(1.0, SvmaxRegularizer.builder().build()).build());
        return all.stream().map(s -> Arguments.of(s.get().getClass().getSimpleName() + " " + s.get().hyperparameters(), s));
    }

    static float[][] data(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * 6];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 6;
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = (float) (0.1 * r.nextGaussian() + (j == i % 6 ? 0.2 : 0));
            }
        }
        return new float[][] {x, y};
    }

    /** Rows in batches of 8, shuffled or in order: 49 or 17 rows end each epoch with a batch of one row. */
    static ArrayDataset dataset(NDManager manager, int rows, long seed, boolean shuffle) {
        float[][] d = data(rows, seed);
        return new ArrayDataset.Builder().setData(manager.create(d[0], new Shape(rows, 6))).optLabels(manager.create(d[1]))
                .setSampling(8, shuffle).build();
    }

    /** Class-balanced batches of 4 classes x 2 rows, as a ranking loss wants them. */
    static ArrayDataset balanced(NDManager manager, int rows, long seed) {
        float[][] d = data(rows, seed);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = (int) d[1][i];
        }
        return new ArrayDataset.Builder().setData(manager.create(d[0], new Shape(rows, 6))).optLabels(manager.create(d[1]))
                .setSampling(new ClassBalancedSampler(labels, 4, 2, seed)).build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void trainsUnderEasyTrainWithDjlsDefaultListeners(String name, Supplier<EmbeddingLoss> make) throws Exception {
        CollapseMonitor monitor = fit(make.get(), true);
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12), monitor.records().stream().map(MonitorRecord::iteration).toList(),
                "7 class-balanced batches an epoch, measured every 2");
    }

    @org.junit.jupiter.api.Test
    void aFinalTrainingBatchOfOneRowTeachesNothingAndBreaksNothing() throws Exception {
        CollapseMonitor monitor = fit(WeightedSumLoss.builder().add(1.0, ContrastiveLoss.builder().build()).add(1.0, SvmaxRegularizer.builder().build())
                .build(), false);
        assertEquals(List.of(0, 2, 4, 8, 10, 12), monitor.records().stream().map(MonitorRecord::iteration).toList(),
                "14 shuffled batches, measured every 2; the one-row batches (6 and 13) are skipped");
    }

    /**
     * Every layer regularized under EasyTrain.fit: the wrapped network trains with the layers' term and
     * validates with the same loss in inference, where the term is 0; a quiet monitor per layer keeps its records.
     */
    @org.junit.jupiter.api.Test
    void everyLayerRegularizedUnderEasyTrain() throws Exception {
        try (Model model = Model.newInstance("easy-train-layers"); NDManager data = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(4).build());
            org.embreg.nn.LayerCaptures captures = new org.embreg.nn.LayerCaptures();
            List<String> points = org.embreg.nn.CapturingBlock.layers(net, new Shape(8, 6));
            assertEquals(List.of("02LambdaBlock", "03Linear"), points);
            model.setBlock(new org.embreg.nn.CapturingBlock(net, points, captures));
            EmbeddingLoss loss = WeightedSumLoss.builder().add(1.0, ContrastiveLoss.builder().build())
                    .add(0.5, org.embreg.regularizer.LayerRegularizer.builder(captures, points, () -> SvmaxRegularizer.builder().build()).build()).build();
            CollapseMonitor hidden = CollapseMonitor.builder().optEvery(2).optOutput(OutputSelector.captured(captures, "02LambdaBlock"))
                    .optLogWarnings(false).build();
            Engine.getInstance().setRandomSeed(5);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.logging()).addTrainingListeners(new DivergenceGuard(), hidden);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 6));
                float[] before = net.getParameters().get("01Linear_weight").getArray().toFloatArray();
                EasyTrain.fit(trainer, 2, balanced(data, 49, 1), dataset(data, 17, 2, false));
                TrainingResult result = trainer.getTrainingResult();
                assertTrue(Float.isFinite(result.getTrainLoss()) && result.getTrainLoss() > 0.5, "train loss " + result.getTrainLoss());
                assertTrue(Float.isFinite(result.getValidateLoss()), "validation loss " + result.getValidateLoss());
                assertTrue(!java.util.Arrays.equals(before, net.getParameters().get("01Linear_weight").getArray().toFloatArray()));
            }
            assertEquals(List.of(0, 2, 4, 6, 8, 10, 12), hidden.records().stream().map(MonitorRecord::iteration).toList());
            assertEquals(16, hidden.records().get(0).measures().dim(), "the hidden layer's 16 units");
            // the training steps' objective held each layer's term (the bounded SVMax term is at least 1, weighted 0.5)
            List<String> names = hidden.records().get(0).terms().stream().map(org.embreg.loss.TermValue::name).toList();
            assertTrue(hidden.records().get(0).terms().stream().anyMatch(t -> t.name().endsWith("layers.02LambdaBlock") && t.value() >= 0.5), names.toString());
        }
    }

    /** Two epochs of EasyTrain.fit; validation on 17 rows in order (its last batch has one row). */
    private CollapseMonitor fit(EmbeddingLoss loss, boolean classBalanced) throws Exception {
        String name = loss.getName();
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(2).build();
        CheckpointListener checkpoint = new CheckpointListener(tmp.resolve("last.params"), 3);
        Path terms = tmp.resolve("terms.csv");
        TrainingListener[] embreg = {new DivergenceGuard(), monitor, new TermLogListener(terms, 2), checkpoint};
        try (Model model = Model.newInstance("easy-train"); NDManager data = NDManager.newBaseManager()) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(4).build()));
            Engine.getInstance().setRandomSeed(5);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.logging()).addTrainingListeners(embreg);
            TrainingResult result;
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(8, 6));
                EasyTrain.fit(trainer, 2, classBalanced ? balanced(data, 49, 1) : dataset(data, 49, 1, true), dataset(data, 17, 2, false));
                result = trainer.getTrainingResult();
            }
            assertTrue(Float.isFinite(result.getTrainLoss()), name + ": train loss " + result.getTrainLoss());
            assertTrue(Float.isFinite(result.getValidateLoss()), name + ": validation loss " + result.getValidateLoss());
            assertFalse(Files.readAllLines(terms).isEmpty());
            assertTrue(checkpoint.lastGood().isPresent() && Files.size(tmp.resolve("last.params")) > 100);
            return monitor;
        }
    }
}
