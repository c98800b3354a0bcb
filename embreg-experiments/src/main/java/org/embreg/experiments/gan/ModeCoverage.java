package org.embreg.experiments.gan;

/**
 * VEEGAN's measures of a generator on a mixture of Gaussians (Srivastava et al. 2017, section 5),
 * computed on a set of generated points:
 *
 * <ul>
 *   <li>{@code highQualityFraction}: the share of samples within 3 standard deviations of the mean
 *       of their nearest mode;
 *   <li>{@code modesCaptured}: the modes that are the nearest mode of at least one high-quality
 *       sample;
 *   <li>{@code modesCovered}: the modes holding at least 1% of all the samples within 3 standard
 *       deviations of their mean (a stricter count: a few stray samples do not cover a mode);
 *   <li>{@code klFromUniform}: KL(p || uniform) of the per-mode histogram p of the high-quality
 *       samples, in nats: 0 when they are spread evenly over all modes, log(modes) when they all
 *       sit on one; null when there is no high-quality sample (the histogram is undefined).
 * </ul>
 *
 * @param samples how many points were measured
 * @param highQualityFraction in [0, 1]
 * @param modesCaptured in [0, modes]
 * @param modesCovered in [0, modes]
 * @param klFromUniform in [0, log(modes)], or null
 */
public record ModeCoverage(int samples, double highQualityFraction, int modesCaptured, int modesCovered, Double klFromUniform) {
    /** A mode is covered when it holds at least this share of all samples within 3 standard deviations. */
    public static final double COVERED_SHARE = 0.01;
    /** High quality: within this many standard deviations of the nearest mode. */
    public static final double QUALITY_STDS = 3.0;

    /**
     * Measures generated points.
     *
     * @param xy n x 2 values, row-major
     * @param ring the true mixture
     */
    public static ModeCoverage of(float[] xy, GaussianRing ring) {
        if (xy.length % 2 != 0 || xy.length == 0) {
            throw new IllegalArgumentException("expected n x 2 points with n >= 1, got " + xy.length + " values");
        }
        int n = xy.length / 2;
        int[] perMode = new int[ring.modes()];
        int good = 0;
        double threshold = QUALITY_STDS * ring.std();
        for (int i = 0; i < n; i++) {
            double x = xy[2 * i];
            double y = xy[2 * i + 1];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                continue; // a non-finite point is near no mode
            }
            int k = ring.nearestMode(x, y);
            if (ring.distance(x, y, k) <= threshold) {
                perMode[k]++;
                good++;
            }
        }
        int captured = 0;
        int covered = 0;
        double kl = 0;
        for (int count : perMode) {
            if (count > 0) {
                captured++;
                double p = (double) count / good;
                kl += p * Math.log(p * ring.modes());
            }
            if (count >= COVERED_SHARE * n) {
                covered++;
            }
        }
        return new ModeCoverage(n, (double) good / n, captured, covered, good == 0 ? null : Math.max(0.0, kl));
    }
}
