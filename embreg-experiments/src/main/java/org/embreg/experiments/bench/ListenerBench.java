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
 * d = 128) on random 28 x 28 images, the contrastive loss (plus a regularizer) on 36 classes x 4,
 * SGD, with the listeners every retrieval run has (divergence guard every step, collapse monitor
 * and progress every N steps, checkpoint every 100). The time spent inside the listeners is
 * measured around each of their calls, in the same steps as the whole step, so that the two share
 * one machine state (two models timed one after the other differed by +-20% here from memory
 * effects alone). Reports medians per step over blocks of steps.
 */
public final class ListenerBench {
    private ListenerBench() {}

    /**
     * Medians in milliseconds per step.
     *
     * @param stepMillis the whole step, listeners included
     * @param listenerMillis the listeners' share of it
     * @param blocks timed blocks
     * @param stepsPerBlock steps in a block
     */
    public record Timing(double stepMillis, double listenerMillis, int blocks, int stepsPerBlock) {
        /** The listeners' time relative to the step without them. */
        public double overhead() {
            return listenerMillis / (stepMillis - listenerMillis);
        }
    }

    /** A listener that adds the time spent in another's calls to a counter. */
    private static final class Timed implements TrainingListener {
        private final TrainingListener inner;
        private final long[] nanos;

        Timed(TrainingListener inner, long[] nanos) {
            this.inner = inner;
            this.nanos = nanos;
        }

        @Override
        public void onEpoch(ai.djl.training.Trainer trainer) {
            inner.onEpoch(trainer);
        }

        @Override
        public void onTrainingBatch(ai.djl.training.Trainer trainer, BatchData batchData) {
            long t0 = System.nanoTime();
            inner.onTrainingBatch(trainer, batchData);
            nanos[0] += System.nanoTime() - t0;
        }

        @Override
        public void onValidationBatch(ai.djl.training.Trainer trainer, BatchData batchData) {
            inner.onValidationBatch(trainer, batchData);
        }

        @Override
        public void onTrainingBegin(ai.djl.training.Trainer trainer) {
            inner.onTrainingBegin(trainer);
        }

        @Override
        public void onTrainingEnd(ai.djl.training.Trainer trainer) {
            inner.onTrainingEnd(trainer);
        }
    }

    /**
     * @param regularizer the regularizer beside the contrastive loss (its paper weight), so that
     *     the monitor's reuse of the SVMax spectrum is timed too
     */
    public static Timing run(int blocks, int stepsPerBlock, int logEvery, RegularizerKind regularizer, long seed, SymmetricEigenSolver solver) {
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
        int total = (blocks + 1) * stepsPerBlock;
        long[] inListeners = new long[1];
        TrainingListener[] listeners = {new DivergenceGuard(), CollapseMonitor.builder().optEvery(logEvery).optEigenSolver(solver).build(),
            new ProgressTrainingListener(ProgressReporter.NONE, "bench", total, logEvery), new CheckpointListener(null, 100)};
        TrainingListener[] timed = new TrainingListener[listeners.length];
        for (int i = 0; i < listeners.length; i++) {
            timed[i] = new Timed(listeners[i], inListeners);
        }
        double[] step = new double[blocks];
        double[] listened = new double[blocks];
        int b = RankingLossKind.CONTRASTIVE.paperLayout().batchSize();
        try (Model model = Model.newInstance("listened")) {
            model.setBlock(Backbone.SMALL_CNN.build(128, 32, 28, 28));
            Engine.getInstance().setRandomSeed((int) seed);
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).optMomentum(0.9f).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(RetrievalTrainer.lossFor(RankingLossKind.CONTRASTIVE, regularizer,
                    regularizer.defaultWeight(RankingLossKind.CONTRASTIVE), seed, solver)).optOptimizer(sgd).addTrainingListeners(timed);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(b, 1, 28, 28));
                TrainingLoop.Step s = TrainingLoop.supervised(trainer, new LabelledBatches(images, 36, 4, seed), total);
                for (int k = -1; k < blocks; k++) { // block -1 warms up
                    inListeners[0] = 0;
                    long t0 = System.nanoTime();
                    TrainingLoop.Outcome o = TrainingLoop.run(trainer, (k + 1) * stepsPerBlock, stepsPerBlock, s);
                    long t1 = System.nanoTime();
                    if (!o.completed(stepsPerBlock)) {
                        throw new IllegalStateException("the benchmark's training stopped: " + o);
                    }
                    if (k >= 0) {
                        step[k] = (t1 - t0) / 1e6 / stepsPerBlock;
                        listened[k] = inListeners[0] / 1e6 / stepsPerBlock;
                    }
                }
            }
        }
        return new Timing(MetricsBench.median(step), MetricsBench.median(listened), blocks, stepsPerBlock);
    }
}
