package org.embreg.train;

import ai.djl.training.tracker.Tracker;

/**
 * The official VICReg schedule: a linear warm-up from 0 to the base rate over the first W steps,
 * then a cosine decay from the base rate to {@code finalFraction} of it at step T:
 * lr(s) = base * s / W for s &lt; W, else base * q + base * finalFraction * (1 - q) with
 * q = (1 + cos(pi * (s - W) / (T - W))) / 2. Steps s count from 0 (the first update); DJL counts
 * updates from 1, so update t uses s = t - 1.
 */
public final class WarmupCosineTracker implements Tracker {
    /** VICReg's final rate: 0.001 of the base. */
    public static final double VICREG_FINAL_FRACTION = 0.001;

    private final double base;
    private final int warmup;
    private final int total;
    private final double finalFraction;

    /**
     * @param base the rate after warm-up
     * @param warmup W, steps of warm-up (0 for none)
     * @param total T, the run's steps (&gt; W)
     * @param finalFraction the rate at step T over the base
     */
    public WarmupCosineTracker(double base, int warmup, int total, double finalFraction) {
        if (!(base > 0) || !Double.isFinite(base) || warmup < 0 || total <= warmup || !(finalFraction >= 0 && finalFraction <= 1)) {
            throw new IllegalArgumentException("need base > 0, 0 <= warm-up < total and 0 <= final fraction <= 1; got base " + base + ", warm-up "
                    + warmup + ", total " + total + ", final fraction " + finalFraction);
        }
        this.base = base;
        this.warmup = warmup;
        this.total = total;
        this.finalFraction = finalFraction;
    }

    /** The rate of step s (0-based). */
    public double valueAtStep(int s) {
        if (s < warmup) {
            return base * s / warmup;
        }
        int t = Math.min(s, total) - warmup;
        double q = 0.5 * (1 + Math.cos(Math.PI * t / (total - warmup)));
        return base * q + base * finalFraction * (1 - q);
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) valueAtStep(numUpdate - 1);
    }
}
