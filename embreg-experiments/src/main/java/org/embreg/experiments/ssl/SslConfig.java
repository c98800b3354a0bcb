package org.embreg.experiments.ssl;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code embreg ssl} runs: VICReg pretraining of a small ResNet with an expander, then the
 * field's evaluation of the representation against a random encoder, a supervised one of the same
 * architecture and budget, and the raw pixels.
 *
 * @param steps pretraining updates (the supervised baseline gets as many)
 * @param batchSize images per batch (two views each)
 * @param baseLearningRate LARS's rate per 256 images: the rate is base * batch / 256
 * @param weightDecay LARS's weight decay (not on biases and normalization)
 * @param warmupSteps linear warm-up before the cosine decay
 * @param width the encoder's first width (representation 4 x width)
 * @param encoder the encoder's architecture
 * @param expander the expander's layer sizes
 * @param invarianceWeight lambda (25)
 * @param varianceWeight mu (25)
 * @param covarianceWeight nu (1)
 * @param seed seeds the initialization, the views and the samples
 * @param maxTrain training images used (a seeded stratified sample; 0 = all)
 * @param maxTest test images evaluated (0 = all)
 * @param logEvery log the terms and measure collapse every this many steps
 * @param data the --data directory, or null for Fashion-MNIST
 * @param out the run directory
 * @param layers a regularizer on every layer of the encoder (both views' activations), or layers only watched
 */
public record SslConfig(int steps, int batchSize, double baseLearningRate, double weightDecay, int warmupSteps, int width, SslEncoder encoder, List<Integer> expander,
        double invarianceWeight, double varianceWeight, double covarianceWeight, long seed, int maxTrain, int maxTest, int logEvery, Path data,
        Path out, org.embreg.experiments.model.LayerRegularization layers) {
    /** A configuration with the encoder's layers neither regularized nor watched. */
    public SslConfig(int steps, int batchSize, double baseLearningRate, double weightDecay, int warmupSteps, int width, SslEncoder encoder,
            List<Integer> expander, double invarianceWeight, double varianceWeight, double covarianceWeight, long seed, int maxTrain, int maxTest,
            int logEvery, Path data, Path out) {
        this(steps, batchSize, baseLearningRate, weightDecay, warmupSteps, width, encoder, expander, invarianceWeight, varianceWeight,
                covarianceWeight, seed, maxTrain, maxTest, logEvery, data, out, org.embreg.experiments.model.LayerRegularization.NONE);
    }

    public SslConfig {
        layers = layers == null ? org.embreg.experiments.model.LayerRegularization.NONE : layers;
        expander = List.copyOf(expander);
        if (steps < 1 || batchSize < 2 || logEvery < 1) {
            throw new IllegalArgumentException("need steps >= 1, a batch of at least 2 and --log-every >= 1; got " + steps + ", " + batchSize + ", "
                    + logEvery);
        }
        if (warmupSteps < 0 || warmupSteps >= steps) {
            throw new IllegalArgumentException("the warm-up must be shorter than the run: " + warmupSteps + " of " + steps + " steps");
        }
        if (!(baseLearningRate > 0) || !Double.isFinite(baseLearningRate) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("--lr must be positive and the weight decay >= 0; got " + baseLearningRate + ", " + weightDecay);
        }
        if (expander.isEmpty() || expander.stream().anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("--expander needs one or more positive sizes, got " + expander);
        }
        for (double w : new double[] {invarianceWeight, varianceWeight, covarianceWeight}) {
            if (!(w >= 0) || !Double.isFinite(w)) {
                throw new IllegalArgumentException("the loss weights must be finite and >= 0, got " + invarianceWeight + " / " + varianceWeight
                        + " / " + covarianceWeight);
            }
        }
        if (layers.regularizer().usesLabels()) {
            throw new IllegalArgumentException("--layer-regularizer " + layers.regularizer().armName() + " draws negatives by class label, which "
                    + "self-supervised pretraining does not use; choose svmax or vicreg-variance");
        }
        if (maxTrain < 0 || maxTest < 0) {
            throw new IllegalArgumentException("--max-train and --max-test must be >= 0");
        }
        if (seed < Integer.MIN_VALUE || seed > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--seed must fit in 32 bits (the engine's seed), got " + seed);
        }
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(encoder, "encoder");
    }

    /** This configuration on the data of {@code data} (null: Fashion-MNIST), written into {@code out}. */
    public SslConfig at(Path data, Path out) {
        return new SslConfig(steps, batchSize, baseLearningRate, weightDecay, warmupSteps, width, encoder, expander, invarianceWeight, varianceWeight,
                covarianceWeight, seed, maxTrain, maxTest, logEvery, data, out, layers);
    }

    /** The learning rate after warm-up: base * batch / 256, as the official code scales it. */
    public double learningRate() {
        return baseLearningRate * batchSize / 256;
    }

    /** The representation's size. */
    public int representation() {
        return 4 * width;
    }

    /** "512-512-512". */
    public static List<Integer> parseExpander(String text) {
        try {
            return java.util.Arrays.stream(text.split("-")).map(String::trim).map(Integer::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--expander takes sizes joined by '-', e.g. 512-512-512; got " + text);
        }
    }
}
