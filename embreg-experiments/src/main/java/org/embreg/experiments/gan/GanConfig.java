package org.embreg.experiments.gan;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code embreg gan} runs: every arm for every seed, from the same initialization per seed.
 *
 * @param arms the configurations
 * @param steps generator updates per run (each after one discriminator update)
 * @param learningRate the generator's Adam rate (the SVMax paper: 0.025 for both networks)
 * @param discriminatorLearningRate the discriminator's Adam rate (the paper: the same; the public code: 1e-4 against 1e-3)
 * @param seed the first seed
 * @param seeds how many seeds, seed .. seed + seeds - 1
 * @param batchSize real and generated points per batch
 * @param noiseDim the generator's standard normal input
 * @param evalSamples generated points the metrics and heat maps are measured on
 * @param recordEvery measure every this many steps (and at step 0 and the last)
 * @param out the run directory
 */
public record GanConfig(List<GanArm> arms, int steps, double learningRate, double discriminatorLearningRate, long seed, int seeds, int batchSize, int noiseDim, int evalSamples,
        int recordEvery, Path out) {
    /** The default run's length: all four arms over the default seeds fit in 15 minutes on 2 cores. */
    public static final int DEFAULT_STEPS = 3000;
    /** The SVMax paper's learning rate, at which the plain GAN collapses. */
    public static final double PAPER_LEARNING_RATE = 0.025;
    /** The default number of seeds. */
    public static final int DEFAULT_SEEDS = 3;
    public static final int BATCH_SIZE = 512;
    public static final int NOISE_DIM = 256;
    /** VEEGAN's sample count for the metrics. */
    public static final int EVAL_SAMPLES = 2500;
    /** Adam's betas of the reference code. */
    public static final float BETA1 = 0.5f;
    public static final float BETA2 = 0.999f;

    public GanConfig {
        arms = List.copyOf(Objects.requireNonNull(arms, "arms"));
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("no GAN configuration to run");
        }
        if (arms.stream().map(GanArm::name).distinct().count() != arms.size()) {
            throw new IllegalArgumentException("two configurations share a name: " + arms);
        }
        positive("--steps", steps);
        positive("--seeds", seeds);
        positive("batch size", batchSize);
        positive("noise dimension", noiseDim);
        positive("evaluation samples", evalSamples);
        positive("--record-every", recordEvery);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be positive and finite, got " + learningRate);
        }
        if (!(discriminatorLearningRate > 0) || !Double.isFinite(discriminatorLearningRate)) {
            throw new IllegalArgumentException("--d-lr must be positive and finite, got " + discriminatorLearningRate);
        }
        if (seed < Integer.MIN_VALUE || seed + seeds - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--seed: the seeds " + seed + " .. " + (seed + seeds - 1) + " must fit in 32 bits (the engine's seed)");
        }
        Objects.requireNonNull(out, "out");
    }

    private static void positive(String what, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + value);
        }
    }

    /** The paper's settings with the given arms, steps, rates and seeds; measured every steps / 10. */
    public static GanConfig paper(List<GanArm> arms, int steps, double learningRate, double discriminatorLearningRate, long seed, int seeds, Path out) {
        return new GanConfig(arms, steps, learningRate, discriminatorLearningRate, seed, seeds, BATCH_SIZE, NOISE_DIM, EVAL_SAMPLES,
                Math.max(1, steps / 10), out);
    }

    /** The steps at which the metrics are measured: 0, every recordEvery, and the last. */
    public List<Integer> recordedSteps() {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        for (int t = 0; t < steps; t += recordEvery) {
            s.add(t);
        }
        s.add(steps);
        return List.copyOf(s);
    }
}
