package org.embreg.experiments.gan;

import java.util.List;
import org.embreg.train.CollapseWarning;
import org.embreg.train.Divergence;

/**
 * One configuration trained from one seed, as results.json holds it.
 *
 * @param arm the configuration's name
 * @param seed the seed
 * @param curve the metrics at each recorded step
 * @param divergence where training diverged (the run stopped there), or null
 * @param collapseWarnings the collapse monitor's warnings on the generator's output
 * @param steps generator updates applied
 * @param trainSeconds wall time of training and measuring
 */
public record GanRun(String arm, long seed, List<GanPoint> curve, Divergence divergence, List<CollapseWarning> collapseWarnings, int steps,
        double trainSeconds) {
    public GanRun {
        curve = List.copyOf(curve);
        collapseWarnings = List.copyOf(collapseWarnings);
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("run " + arm + " seed " + seed + " has no measurement");
        }
    }

    /** The metrics at the last recorded step. */
    public GanPoint last() {
        return curve.get(curve.size() - 1);
    }

    /**
     * The metrics at one recorded step.
     *
     * @param step generator updates applied before the measurement
     * @param coverage VEEGAN's measures on the evaluation samples
     * @param meanSingularValue s_mu of the evaluation samples as generated (||E||_* / 2, rows not normalized); null when a
     *     sample is not finite
     */
    public record GanPoint(int step, ModeCoverage coverage, Double meanSingularValue) {}
}
