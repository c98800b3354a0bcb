package org.embreg.experiments.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.embreg.data.ImageSet;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.CheckpointListener;
import org.embreg.train.CollapseMonitor;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.LabelledBatches;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.embreg.train.TrainingLoop;

/**
 * What embreg's listeners cost a training step of the retrieval loop: the small CNN (width 32,
 * d = 128) on random 28 x 28 images, the contrastive loss on 36 classes x 4, SGD; once without
 * listeners and once with those every retrieval run has (divergence guard every step, collapse
 * monitor and progress every 10 steps, checkpoint every 100), in alternating blocks of steps so
 * that both see the same machine. Reports the median time per step of each.
 */
public final class ListenerBench {
    private ListenerBench() {}

    /**
     * Medians in milliseconds per step.
     *
     * @param plainMillis without listeners
     * @param listenedMillis with the retrieval run's listeners
     * @param blocks blocks of each
     * @param stepsPerBlock steps in a block
     */
    public record Timing(double plainMillis, double listenedMillis, int blocks, int stepsPerBlock) {
        /** (with - without) / without. */
        public double overhead() {
            return listenedMillis / plainMillis - 1;
        }
    }

    /**
     * @param regularizer the regularizer beside the contrastive loss (its paper weight), so that
     *     the monitor's reuse of the SVMax spectrum is timed too
     */
    public static Timing run(int blocks, int stepsPerBlock, int logEvery, RegularizerKind regularizer, long seed, SymmetricEigenSolver solver) {
        int b = RankingLossKind.CONTRASTIVE.paperLayout().batchSize();
        int n = 2000;
        float[] px = new float[n * 28 * 28];
        int[] labels = new int[n];
        Random r = new Random(seed);
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 50;
        }
        ImageSet images = new ImageSet(px, labels, 28, 28);
        double[] plain = new double[blocks];
        double[] listened = new double[blocks];
        int total = (blocks + 1) * stepsPerBlock;
        try (Model a = Model.newInstance("plain"); Model c = Model.newInstance("listened");
                Trainer ta = trainer(a, b, regularizer, seed, solver);
                Trainer tc = trainer(c, b, regularizer, seed, solver, new DivergenceGuard(),
                        CollapseMonitor.builder().optEvery(logEvery).optEigenSolver(solver).build(),
                        new ProgressTrainingListener(ProgressReporter.NONE, "bench", total, logEvery), new CheckpointListener(null, 100))) {
            LabelledBatches sa = new LabelledBatches(images, 36, 4, seed);
            LabelledBatches sc = new LabelledBatches(images, 36, 4, seed);
            TrainingLoop.Step stepA = TrainingLoop.supervised(ta, sa, total);
            TrainingLoop.Step stepC = TrainingLoop.supervised(tc, sc, total);
            for (int k = -1; k < blocks; k++) { // block -1 warms up
                int first = (k + 1) * stepsPerBlock;
                long t0 = System.nanoTime();
                TrainingLoop.Outcome oa = TrainingLoop.run(ta, first, stepsPerBlock, stepA);
                long t1 = System.nanoTime();
                TrainingLoop.Outcome oc = TrainingLoop.run(tc, first, stepsPerBlock, stepC);
                long t2 = System.nanoTime();
                if (!oa.completed(stepsPerBlock) || !oc.completed(stepsPerBlock)) {
                    throw new IllegalStateException("the benchmark's training stopped: " + oa + ", " + oc);
                }
                if (k >= 0) {
                    plain[k] = (t1 - t0) / 1e6 / stepsPerBlock;
                    listened[k] = (t2 - t1) / 1e6 / stepsPerBlock;
                }
            }
        }
        return new Timing(MetricsBench.median(plain), MetricsBench.median(listened), blocks, stepsPerBlock);
    }

    private static Trainer trainer(Model model, int b, RegularizerKind regularizer, long seed, SymmetricEigenSolver solver,
            TrainingListener... listeners) {
        model.setBlock(Backbone.SMALL_CNN.build(128, 32, 28, 28));
        Engine.getInstance().setRandomSeed((int) seed);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(RetrievalTrainer.lossFor(RankingLossKind.CONTRASTIVE, regularizer,
                regularizer.defaultWeight(RankingLossKind.CONTRASTIVE), seed, solver)).optOptimizer(sgd).addTrainingListeners(listeners);
        Trainer t = model.newTrainer(config);
        t.initialize(new Shape(b, 1, 28, 28));
        return t;
    }
}
