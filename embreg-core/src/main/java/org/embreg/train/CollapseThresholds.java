package org.embreg.train;

/**
 * When the {@link CollapseMonitor} calls an output collapsed. The defaults flag an embedding whose
 * s_mu sits in the bottom tenth of its [L, U] band (as {@code analyze}'s verdict does), whose
 * effective rank is below 5% of min(b, d), whose normalized rows spread less than a fifth of
 * uniform rows on the sphere, or that has any column with standard deviation below 1e-3.
 *
 * @param minBandPosition minimum (s_mu - L) / (U - L)
 * @param minEffectiveRankFraction minimum effective rank / min(b, d)
 * @param minNormalizedStdFraction minimum std of normalized rows x sqrt(d)
 * @param maxCollapsedDimensions most collapsed columns allowed
 * @param dimensionThreshold std below which a column counts as collapsed
 */
public record CollapseThresholds(double minBandPosition, double minEffectiveRankFraction, double minNormalizedStdFraction,
        int maxCollapsedDimensions, double dimensionThreshold) {
    /** The defaults described above. */
    public static final CollapseThresholds DEFAULT = new CollapseThresholds(0.1, 0.05, 0.2, 0, 1e-3);

    public CollapseThresholds {
        check("minimum band position", minBandPosition);
        check("minimum effective rank fraction", minEffectiveRankFraction);
        check("minimum normalized std fraction", minNormalizedStdFraction);
        if (maxCollapsedDimensions < 0) {
            throw new IllegalArgumentException("maximum collapsed dimensions must be >= 0, got " + maxCollapsedDimensions);
        }
        if (!(dimensionThreshold >= 0) || !Double.isFinite(dimensionThreshold)) {
            throw new IllegalArgumentException("collapse threshold must be a finite number >= 0, got " + dimensionThreshold);
        }
    }

    private static void check(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + v);
        }
    }

    /** The threshold of a measure. */
    public double of(CollapseMeasure m) {
        return switch (m) {
            case BAND_POSITION -> minBandPosition;
            case EFFECTIVE_RANK -> minEffectiveRankFraction;
            case NORMALIZED_ROW_STD -> minNormalizedStdFraction;
            case COLLAPSED_DIMENSIONS -> maxCollapsedDimensions;
        };
    }
}
