package org.embreg.train;

import ai.djl.training.tracker.Tracker;

/**
 * The SVMax paper's schedule: the learning rate stays at its base value for the first half of K
 * iterations, then decays polynomially to a floor at iteration K:
 * lr(t) = (base - floor) * (1 - (t - K/2) / (K - K/2))^power + floor.
 */
public final class PolynomialDecayTracker implements Tracker {
    private final double base;
    private final double floor;
    private final int total;
    private final double power;

    /**
     * @param base the learning rate of the first half
     * @param floor the value at iteration K (the paper uses 1e-7)
     * @param total K
     * @param power the decay exponent (1 = linear)
     */
    public PolynomialDecayTracker(double base, double floor, int total, double power) {
        if (!(base > 0) || floor < 0 || floor > base || total < 1 || !(power > 0)) {
            throw new IllegalArgumentException("need base > 0, 0 <= floor <= base, K >= 1 and power > 0; got base " + base
                    + ", floor " + floor + ", K " + total + ", power " + power);
        }
        this.base = base;
        this.floor = floor;
        this.total = total;
        this.power = power;
    }

    /**
     * The learning rate of update t as DJL's optimizers count updates: from 1 (the first update,
     * after iteration 0, is update 1), so the update after iteration i uses {@code valueAt(i + 1)}.
     */
    public double valueAt(int t) {
        int half = total / 2;
        if (t < half) {
            return base;
        }
        if (t >= total) {
            return floor;
        }
        double frac = (double) (t - half) / (total - half);
        return (base - floor) * Math.pow(1 - frac, power) + floor;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) valueAt(numUpdate);
    }
}
