package org.embreg.experiments.gan;

import java.util.Random;

/**
 * A uniform mixture of Gaussians with their means evenly spaced on a circle (the 2-D data of the
 * unrolled-GAN, VEEGAN and SVMax papers: 8 modes, radius 2, standard deviation 0.02).
 *
 * @param modes how many components
 * @param radius the circle's radius
 * @param std each component's standard deviation (isotropic)
 */
public record GaussianRing(int modes, double radius, double std) {
    /** The papers' mixture: 8 modes on a circle of radius 2, standard deviation 0.02. */
    public static final GaussianRing PAPER = new GaussianRing(8, 2.0, 0.02);

    public GaussianRing {
        if (modes < 1) {
            throw new IllegalArgumentException("modes must be >= 1, got " + modes);
        }
        if (!(radius > 0) || !(std > 0) || !Double.isFinite(radius) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("radius and std must be positive and finite, got " + radius + " and " + std);
        }
    }

    /** The x coordinate of mode k's mean (mode 0 on the positive x axis, counter-clockwise). */
    public double meanX(int k) {
        return radius * Math.cos(2 * Math.PI * k / modes);
    }

    /** The y coordinate of mode k's mean. */
    public double meanY(int k) {
        return radius * Math.sin(2 * Math.PI * k / modes);
    }

    /**
     * Draws n points: a uniformly chosen mode each, plus isotropic Gaussian noise.
     *
     * @return n x 2 values, row-major (x, y)
     */
    public float[] sample(int n, Random random) {
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            int k = random.nextInt(modes);
            out[2 * i] = (float) (meanX(k) + std * random.nextGaussian());
            out[2 * i + 1] = (float) (meanY(k) + std * random.nextGaussian());
        }
        return out;
    }

    /** The mode whose mean is nearest to (x, y). */
    public int nearestMode(double x, double y) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < modes; k++) {
            double dx = x - meanX(k);
            double dy = y - meanY(k);
            double d = dx * dx + dy * dy;
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    /** The distance from (x, y) to the mean of mode k. */
    public double distance(double x, double y, int k) {
        return Math.hypot(x - meanX(k), y - meanY(k));
    }
}
