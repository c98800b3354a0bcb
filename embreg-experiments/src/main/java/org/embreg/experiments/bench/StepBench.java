package org.embreg.experiments.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.embreg.experiments.model.Backbone;
import org.embreg.loss.EmbeddingLoss;

/**
 * Times one training step of an embedding network, as the experiments run it (DJL Trainer, SGD
 * with momentum 0.9), on a random batch of one-channel images, with the loss mean(E^2) so that only
 * the network is timed, or with an embedding loss (the retrieval loop's objective). Reports the
 * median of the whole step and of its phases: network forward, loss, backward, optimizer step. An
 * objective is first run 1,000 times on its own (forward and backward on random embeddings), so that
 * its host code is compiled as in a long training run. The
 * PyTorch peer (embreg-bench/peers/cnn_step_torch.py) times the same network, objective and phases.
 */
public final class StepBench {
    private StepBench() {}

    /** Forward + backward passes of the objective alone, on random embeddings, before the timed steps. */
    static final int LOSS_WARMUP = 1000;

    /**
     * Medians in milliseconds.
     *
     * @param medianMillis the whole step
     * @param forwardMillis the network's forward pass
     * @param lossMillis the loss's forward pass
     * @param backwardMillis backward pass
     * @param stepMillis optimizer update
     * @param samplesMillis every timed step
     */
    public record Timing(double medianMillis, double forwardMillis, double lossMillis, double backwardMillis, double stepMillis, double[] samplesMillis) {}

    /**
     * @param objective the loss on the embeddings, or null for mean(E^2)
     * @param labels the batch's labels for the objective (length batch), or null
     */
    public static Timing run(Backbone backbone, int batch, int size, int width, int dim, EmbeddingLoss objective, int[] labels, int warmup,
            int repeats, long seed) {
        float[] pixels = new float[batch * size * size];
        Random r = new Random(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        double[] total = new double[repeats];
        double[] forward = new double[repeats];
        double[] lossTimes = new double[repeats];
        double[] backward = new double[repeats];
        double[] step = new double[repeats];
        if (objective != null) {
            // the loss's host code runs once a step: warm the JIT on it apart, as thousands of training steps would
            LossBench.run(objective, labels, batch, dim, LOSS_WARMUP, 1, seed);
        }
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-3f)).optMomentum(0.9f).build();
        try (Model model = Model.newInstance("step-bench")) {
            model.setBlock(backbone.build(dim, width, size, size));
            Engine.getInstance().setRandomSeed((int) seed);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(sgd))) {
                trainer.initialize(new Shape(batch, 1, size, size));
                NDManager manager = trainer.getManager();
                for (int i = -warmup; i < repeats; i++) {
                    try (NDManager sub = manager.newSubManager()) {
                        NDArray x = sub.create(pixels, new Shape(batch, 1, size, size));
                        NDList y = labels == null ? null : new NDList(sub.create(labels));
                        long t0 = System.nanoTime();
                        long t1;
                        long t2;
                        long t3;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray e = trainer.forward(new NDList(x)).singletonOrThrow();
                            t1 = System.nanoTime();
                            NDArray loss = objective == null ? e.square().mean() : objective.evaluate(y, new NDList(e));
                            t2 = System.nanoTime();
                            gc.backward(loss);
                            t3 = System.nanoTime();
                        }
                        trainer.step();
                        long t4 = System.nanoTime();
                        if (i >= 0) {
                            total[i] = (t4 - t0) / 1e6;
                            forward[i] = (t1 - t0) / 1e6;
                            lossTimes[i] = (t2 - t1) / 1e6;
                            backward[i] = (t3 - t2) / 1e6;
                            step[i] = (t4 - t3) / 1e6;
                        }
                    }
                }
            }
        }
        return new Timing(MetricsBench.median(total), MetricsBench.median(forward), MetricsBench.median(lossTimes), MetricsBench.median(backward), MetricsBench.median(step), total);
    }
}
