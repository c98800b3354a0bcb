package org.embreg.experiments.retrieval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.experiments.model.CapturedNetwork;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.train.CheckpointListener;
import org.embreg.train.CollapseMonitor;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.LabelledBatches;
import org.embreg.train.OutputSelector;
import org.embreg.train.TermLogListener;
import org.embreg.train.PolynomialDecayTracker;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.embreg.train.TrainingLoop;

/**
 * Trains one arm of a retrieval experiment (a ranking loss plus an optional regularizer on a
 * backbone) on embreg's {@link TrainingLoop} with the listeners every run gets (divergence guard,
 * collapse monitor on the embedding, progress, checkpoint of the last good parameters), then
 * evaluates retrieval on a held-out set of classes. The same seed gives the same initialization,
 * the same batches and the same numbers.
 */
public final class RetrievalTrainer {
    /** The learning rate at iteration K. */
    public static final double FINAL_LEARNING_RATE = 1e-7;
    /** Checkpoints are taken every this many iterations (and at the end). */
    public static final int CHECKPOINT_EVERY = 100;

    private final SymmetricEigenSolver solver;

    /** @param solver the host eigensolver of every spectrum (loss, monitor, evaluation) */
    public RetrievalTrainer(SymmetricEigenSolver solver) {
        this.solver = solver;
    }

    /** The ranking loss plus lambda times the regularizer (seeded where it samples). */
    public static WeightedSumLoss lossFor(RankingLossKind loss, RegularizerKind regularizer, double lambda, long seed, SymmetricEigenSolver solver) {
        return objective(loss, regularizer, lambda, seed, solver).build();
    }

    private static WeightedSumLoss.Builder objective(RankingLossKind loss, RegularizerKind regularizer, double lambda, long seed, SymmetricEigenSolver solver) {
        WeightedSumLoss.Builder b = WeightedSumLoss.builder().optName("objective").add(1.0, loss.create());
        EmbeddingLoss reg = regularizer.create(seed, solver);
        if (reg != null) {
            b.add(lambda, reg);
        }
        return b;
    }

    /** The arm's objective: the ranking loss plus lambda times the regularizer, plus the layers' regularizer when there is one. */
    private WeightedSumLoss lossFor(TrainingConfig c, CapturedNetwork network) {
        WeightedSumLoss.Builder b = objective(c.loss(), c.regularizer(), c.lambda(), c.seed(), solver);
        network.regularizer(c.layers(), c.seed(), solver).ifPresent(r -> b.add(c.layers().weight(), r));
        return b.build();
    }

    /** The paper's schedule for a configuration: lr fixed for K/2 iterations, then a linear decay to 1e-7. */
    public static PolynomialDecayTracker schedule(TrainingConfig c) {
        return new PolynomialDecayTracker(c.learningRate(), FINAL_LEARNING_RATE, c.iterations(), 1.0);
    }

    /**
     * Trains and evaluates one arm.
     *
     * @param c the configuration
     * @param train training images (the classes seen in training)
     * @param test evaluation images (unseen classes)
     * @param progress progress of the iterations
     * @param out the run directory, where the arm's last good parameters ({@code <arm>.params},
     *     every {@value #CHECKPOINT_EVERY} iterations) and every loss term ({@code <arm>-terms.csv})
     *     are written during training; or null
     */
    public ArmResult run(TrainingConfig c, ImageSet train, ImageSet test, ProgressReporter progress, Path out) {
        String name = c.armName();
        int h = train.height();
        int w = train.width();
        CapturedNetwork network = CapturedNetwork.of(c.backbone().build(c.dim(), c.width(), h, w), c.layers(), new Shape(c.batchSize(), 1, h, w),
                c.backbone().cliName());
        WeightedSumLoss loss = lossFor(c, network);
        PolynomialDecayTracker schedule = schedule(c);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(0.9f).optWeightDecays((float) c.weightDecay()).build();
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(c.logEvery()).optIterations(c.iterations()).optEigenSolver(solver)
                .optOutput(c.monitor().block() == null ? OutputSelector.prediction(0) : OutputSelector.blockOutput(c.monitor().block()))
                .optStopOnCollapse(c.monitor().stopOnCollapse()).build();
        CheckpointListener checkpoints = new CheckpointListener(out == null ? null : out.resolve(name + ".params"), CHECKPOINT_EVERY);
        DefaultTrainingConfig djlConfig = new DefaultTrainingConfig(loss).optOptimizer(sgd).addTrainingListeners(new DivergenceGuard(), monitor,
                new ProgressTrainingListener(progress, name, c.iterations(), c.logEvery()), checkpoints);
        if (out != null) {
            djlConfig.addTrainingListeners(new TermLogListener(out.resolve(name + "-terms.csv"), c.logEvery()));
        }
        // every captured layer watched as the embedding is (warnings only), so a run shows where the rank is lost
        Map<String, CollapseMonitor> layerMonitors = network.monitors(c.logEvery(), c.iterations(), solver,
                out == null ? null : point -> out.resolve(name + "-layer-" + CapturedNetwork.fileName(point) + ".csv"));
        layerMonitors.values().forEach(djlConfig::addTrainingListeners);
        int b = c.batchSize();
        long startNanos = System.nanoTime();
        try (Model model = Model.newInstance("embreg-" + name)) {
            model.setBlock(network.block());
            Engine.getInstance().setRandomSeed((int) c.seed());
            TrainingLoop.Outcome outcome;
            double seconds;
            RetrievalMetrics metrics = null;
            try (Trainer trainer = model.newTrainer(djlConfig)) {
                if (c.weights() != null) {
                    // before trainer.initialize, which hands the parameter arrays to the optimizer: loaded later,
                    // they would be replaced in the block but never trained (the optimizer keeps the first ones)
                    model.getBlock().initialize(model.getNDManager(), model.getDataType(), new Shape(b, 1, h, w));
                    loadWeights(model, c.weights());
                }
                trainer.initialize(new Shape(b, 1, h, w));
                LabelledBatches batches = new LabelledBatches(train, c.classesPerBatch(), c.samplesPerClass(), c.seed());
                outcome = TrainingLoop.run(trainer, c.iterations(), TrainingLoop.supervised(trainer, batches, c.iterations()));
                seconds = (System.nanoTime() - startNanos) / 1e9;
                if (!outcome.diverged()) {
                    Matrix embeddings = embed(trainer, test, 500);
                    metrics = RetrievalMetrics.of(trainer.getManager(), embeddings, test.labels(), c.seed(), solver);
                }
            }
            byte[] params = checkpoints.lastGood().orElseThrow(() -> new IllegalStateException("no finite parameters to keep for arm " + name));
            List<String> parts = loss.parts().stream().map(p -> p.loss().getName()).toList();
            return new ArmResult(name, c, loss.hyperparameters(), parts, metrics, outcome, monitor.warnings(), monitor.records(), seconds, params,
                    checkpoints.lastGoodUpdates(), CapturedNetwork.logs(layerMonitors));
        }
    }

    private static void loadWeights(Model model, java.nio.file.Path file) {
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new EmbregException("--weights " + file + ": no such file");
        } catch (java.io.IOException e) {
            throw new EmbregException("--weights " + file + ": cannot read: " + e.getMessage(), e);
        }
        org.embreg.experiments.model.TrainedModel.load(model.getBlock(), model.getNDManager(), bytes, "--weights " + file);
    }

    /** Embeds images with the trained model, in chunks, in inference mode. */
    public static Matrix embed(Trainer trainer, ImageSet images, int chunk) {
        return org.embreg.experiments.model.Embedder.embed(trainer.getManager(), images, chunk, x -> trainer.evaluate(new NDList(x)).singletonOrThrow());
    }
}
