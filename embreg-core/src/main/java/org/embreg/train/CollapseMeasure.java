package org.embreg.train;

import org.embreg.spectrum.CollapseMeasures;

/** The measures the {@link CollapseMonitor} compares against its thresholds. */
public enum CollapseMeasure {
    /** (s_mu - L) / (U - L) of the normalized rows, below its minimum. */
    BAND_POSITION("s_mu band position (s_mu - L) / (U - L)"),
    /** Effective rank divided by min(b, d), below its minimum. */
    EFFECTIVE_RANK("effective rank / min(b, d)"),
    /** Mean std of the normalized rows times sqrt(d) (1 when healthy), below its minimum. */
    NORMALIZED_ROW_STD("std of normalized rows x sqrt(d)"),
    /** Collapsed dimensions of the output as given, above the maximum allowed. */
    COLLAPSED_DIMENSIONS("collapsed dimensions");

    private final String description;

    CollapseMeasure(String description) {
        this.description = description;
    }

    /** How the measure is named in warnings. */
    public String description() {
        return description;
    }

    /** The measure's value as compared with its threshold. */
    public double value(CollapseMeasures m) {
        return switch (this) {
            case BAND_POSITION -> m.bandPosition();
            case EFFECTIVE_RANK -> m.effectiveRank() / Math.min(m.rows(), m.dim());
            case NORMALIZED_ROW_STD -> m.normalizedRowStd() / m.healthyRowStd();
            case COLLAPSED_DIMENSIONS -> m.collapsedDimensions();
        };
    }

    /** Whether the value is on the collapsed side of the threshold. */
    public boolean crosses(double value, double threshold) {
        return this == COLLAPSED_DIMENSIONS ? value > threshold : value < threshold;
    }
}
