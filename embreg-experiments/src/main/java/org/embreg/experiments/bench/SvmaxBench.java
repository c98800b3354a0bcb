package org.embreg.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.embreg.regularizer.SvmaxRegularizer;

/**
 * Times forward plus backward of the bounded SVMax regularizer (row normalization included) on a
 * random float32 batch, after warm-up, and reports the median in milliseconds.
 */
public final class SvmaxBench {
    private SvmaxBench() {}

    /** The median and all samples, in milliseconds. */
    public record Timing(double medianMillis, double[] samplesMillis) {}

    public static Timing run(int batch, int dim, int warmup, int repeats, long seed) {
        float[] data = new float[batch * dim];
        Random r = new Random(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        SvmaxRegularizer reg = SvmaxRegularizer.builder().build();
        double[] samples = new double[repeats];
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = -warmup; i < repeats; i++) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray e = step.create(data, new Shape(batch, dim));
                    e.setRequiresGradient(true);
                    long t0 = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = reg.evaluate(new NDList(), new NDList(e));
                        gc.backward(loss);
                    }
                    float g = e.getGradient().getFloat(0, 0);
                    long t1 = System.nanoTime();
                    if (i >= 0) {
                        samples[i] = (t1 - t0) / 1e6;
                    }
                    if (!Float.isFinite(g)) {
                        throw new IllegalStateException("non-finite gradient");
                    }
                }
            }
        }
        return new Timing(MetricsBench.median(samples), samples);
    }
}
