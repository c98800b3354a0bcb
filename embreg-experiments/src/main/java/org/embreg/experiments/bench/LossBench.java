package org.embreg.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.embreg.loss.EmbeddingLoss;

/**
 * Times forward plus backward of a loss or regularizer on a random float32 batch (standard normal
 * entries, a fixed seed), after warm-up, and reports the median in milliseconds. The peers in
 * embreg-bench/peers time the same work in PyTorch.
 *
 * <p>Each step's batch is a copy, made on the engine, of one batch created before the loop, as the peers
 * clone theirs. An array created from a Java array goes through a direct buffer that only the garbage
 * collector frees, so with a batch created that way each step the timed work wrote to fresh pages (14.8
 * page faults a step at 144 x 128 against 3.0 with the copy; docs/benchmarks.md).
 */
public final class LossBench {
    private LossBench() {}

    /** The median and all samples, in milliseconds. */
    public record Timing(double medianMillis, double[] samplesMillis) {}

    /**
     * @param loss what to time
     * @param labels the batch's labels (length = batch), or null for a loss without labels
     */
    public static Timing run(EmbeddingLoss loss, int[] labels, int batch, int dim, int warmup, int repeats, long seed) {
        float[] data = new float[batch * dim];
        Random r = new Random(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        double[] samples = new double[repeats];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray base = manager.create(data, new Shape(batch, dim));
            for (int i = -warmup; i < repeats; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray e = base.duplicate();
                    e.attach(step);
                    e.setRequiresGradient(true);
                    NDList y = labels == null ? new NDList() : new NDList(step.create(labels));
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(loss.evaluate(y, new NDList(e)));
                    }
                    float g = e.getGradient().getFloat(0, 0);
                    long t1 = System.nanoTime();
                    if (i >= 0) {
                        samples[i] = (t1 - t0) / 1e6;
                    }
                    if (!Float.isFinite(g)) {
                        throw new IllegalStateException(loss.getName() + ": non-finite gradient");
                    }
                }
            }
        }
        return new Timing(MetricsBench.median(samples), samples);
    }
}
