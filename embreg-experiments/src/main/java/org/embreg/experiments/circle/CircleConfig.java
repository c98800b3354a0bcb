package org.embreg.experiments.circle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@code embreg circle} runs: two arms (no regularizer; bounded SVMax) for every seed, each
 * from the same initialization and batches for a seed.
 *
 * @param epochs passes over the training split (one epoch: floor(train / batch) steps)
 * @param svmaxWeight lambda of bounded SVMax in the second arm
 * @param seed the first seed
 * @param seeds how many seeds, seed .. seed + seeds - 1
 * @param learningRate plain SGD's rate (the official demo: 0.01, no momentum)
 * @param classesPerBatch classes in a batch (8)
 * @param samplesPerClass images per class in a batch (4)
 * @param frameSamples test images drawn in every frame
 * @param data the --data directory, or null for MNIST found or fetched
 * @param out the run directory
 */
public record CircleConfig(int epochs, double svmaxWeight, long seed, int seeds, double learningRate, int classesPerBatch, int samplesPerClass,
        int frameSamples, Path data, Path out) {
    /** The default run's length: both arms over the default seeds fit in 15 minutes on 2 cores (see the README). */
    public static final int DEFAULT_EPOCHS = 20;
    public static final int DEFAULT_SEEDS = 3;
    /** The official demo's rate. */
    public static final double LEARNING_RATE = 0.01;
    /** The official demo's SVMax weight (bounded form). */
    public static final double SVMAX_WEIGHT = 1.0;
    /** Test images in each frame (the official demo draws 320). */
    public static final int FRAME_SAMPLES = 320;

    public CircleConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        if (seed < Integer.MIN_VALUE || seed + seeds - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--seed: the seeds " + seed + " .. " + (seed + seeds - 1) + " must fit in 32 bits (the engine's seed)");
        }
        if (!(svmaxWeight > 0) || !Double.isFinite(svmaxWeight)) {
            throw new IllegalArgumentException("--svmax-weight must be positive and finite, got " + svmaxWeight);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be positive and finite, got " + learningRate);
        }
        if (classesPerBatch < 2 || samplesPerClass < 2) {
            throw new IllegalArgumentException("a batch needs at least 2 classes of 2 samples, got " + classesPerBatch + " x " + samplesPerClass);
        }
        if (frameSamples < 2) {
            throw new IllegalArgumentException("frames need at least 2 samples, got " + frameSamples);
        }
        Objects.requireNonNull(out, "out");
    }

    /** The official demo's settings with the given length, weight, seeds and paths. */
    public static CircleConfig demo(int epochs, double svmaxWeight, long seed, int seeds, Path data, Path out) {
        return new CircleConfig(epochs, svmaxWeight, seed, seeds, LEARNING_RATE, 8, 4, FRAME_SAMPLES, data, out);
    }

    public int batchSize() {
        return classesPerBatch * samplesPerClass;
    }
}
