package org.embreg.train;

import java.util.Locale;

/**
 * A measure of the monitored output crossed its threshold.
 *
 * @param measure which
 * @param iteration 0-based iteration where it was first seen
 * @param value its value
 * @param threshold the threshold it crossed
 * @param output what was watched, e.g. "predictions[0]"
 */
public record CollapseWarning(CollapseMeasure measure, int iteration, double value, double threshold, String output) {
    /** A sentence naming the measure, the value and the threshold. */
    public String message() {
        String side = measure == CollapseMeasure.COLLAPSED_DIMENSIONS ? "above the maximum" : "below the minimum";
        return String.format(Locale.ROOT, "collapse warning at iteration %d on %s: %s is %.4g, %s %.4g", iteration, output,
                measure.description(), value, side, threshold);
    }
}
