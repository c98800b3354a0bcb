package org.embreg.experiments.circle;

import java.util.List;
import org.embreg.train.CollapseWarning;
import org.embreg.train.Divergence;

/**
 * One arm trained from one seed, as results.json holds it.
 *
 * @param arm "none" or "svmax"
 * @param seed the seed
 * @param curve the measures of the test embeddings after each epoch (epoch 0: before training)
 * @param divergence where training diverged (the run stopped there), or null
 * @param collapseWarnings the collapse monitor's warnings on the training batches
 * @param steps updates applied
 * @param trainSeconds wall time of training and measuring
 */
public record CircleRun(String arm, long seed, List<EpochPoint> curve, Divergence divergence, List<CollapseWarning> collapseWarnings, int steps,
        double trainSeconds) {
    public CircleRun {
        curve = List.copyOf(curve);
        collapseWarnings = List.copyOf(collapseWarnings);
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("run " + arm + " seed " + seed + " has no measurement");
        }
    }

    public EpochPoint last() {
        return curve.get(curve.size() - 1);
    }

    /**
     * The test embeddings after an epoch.
     *
     * @param epoch 0 before training (a run that stopped inside an epoch counts that epoch)
     * @param steps updates applied before the measurement
     * @param angleEntropy {@link CircleMetrics#angleEntropy(float[])}
     * @param nearestNeighbourAccuracy leave-one-out 1-NN accuracy
     * @param meanSingularValue s_mu = ||E||_* / 2 of the n x 2 test embeddings
     * @param lowerBound L = sqrt(n) / 2
     * @param upperBound U = sqrt(2 n) / 2
     */
    public record EpochPoint(int epoch, int steps, double angleEntropy, double nearestNeighbourAccuracy, double meanSingularValue, double lowerBound,
            double upperBound) {}
}
