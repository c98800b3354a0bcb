package org.embreg.experiments.report;

import java.util.Collection;
import java.util.Locale;

/**
 * A measure over seeds: its mean and sample standard deviation (n - 1 in the denominator; 0 for a
 * single seed, which shows no spread, not an absence of one).
 *
 * @param mean the mean
 * @param std the sample standard deviation
 * @param seeds how many values
 */
public record SeedSpread(double mean, double std, int seeds) {
    public SeedSpread {
        if (seeds < 1) {
            throw new IllegalArgumentException("a spread needs at least one seed, got " + seeds);
        }
    }

    /** The spread of the values (finite ones; at least one). */
    public static SeedSpread of(Collection<? extends Number> values) {
        double sum = 0;
        int n = 0;
        for (Number v : values) {
            sum += v.doubleValue();
            n++;
        }
        if (n == 0) {
            throw new IllegalArgumentException("no values to summarize");
        }
        double mean = sum / n;
        double ss = 0;
        for (Number v : values) {
            double d = v.doubleValue() - mean;
            ss += d * d;
        }
        return new SeedSpread(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0, n);
    }

    /** "mean ± std" with the given decimals. */
    public String format(int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f ± %." + decimals + "f", mean, std);
    }
}
