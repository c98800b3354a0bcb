package org.embreg.experiments.circle;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;
import org.embreg.metric.RecallAtK;

/**
 * The measures of 2-D embeddings on the unit circle that {@code embreg circle} reports.
 *
 * <ul>
 *   <li>Angle entropy: the entropy of the histogram of the points' angles in {@value #ANGLE_BINS}
 *       equal bins over [-pi, pi), divided by log({@value #ANGLE_BINS}): 1 when the angles are spread
 *       evenly, 0 when all fall in one bin. It rewards spread alone, so classes merged along an arc
 *       can score high.
 *   <li>Nearest-neighbour accuracy: leave-one-out 1-nearest-neighbour accuracy (Euclidean), the
 *       share of points whose nearest other point has the same class; this is Recall@1.
 * </ul>
 */
public final class CircleMetrics {
    /** Bins of the angle histogram (10 degrees each). */
    public static final int ANGLE_BINS = 36;

    private CircleMetrics() {}

    /**
     * The normalized entropy of the angles of 2-D points.
     *
     * @param xy n x 2 values, row-major, n &gt;= 1
     * @param bins histogram bins, at least 2
     */
    public static double angleEntropy(float[] xy, int bins) {
        if (xy.length < 2 || xy.length % 2 != 0) {
            throw new IllegalArgumentException("expected n x 2 points with n >= 1, got " + xy.length + " values");
        }
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be >= 2, got " + bins);
        }
        int n = xy.length / 2;
        int[] counts = new int[bins];
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(xy[2 * i]) || !Float.isFinite(xy[2 * i + 1])) {
                throw new IllegalArgumentException("point " + i + " is not finite: (" + xy[2 * i] + ", " + xy[2 * i + 1] + ")");
            }
            double a = Math.atan2(xy[2 * i + 1], xy[2 * i]);
            int bin = (int) Math.floor((a + Math.PI) / (2 * Math.PI) * bins);
            counts[Math.min(bins - 1, Math.max(0, bin))]++;
        }
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(bins);
    }

    /** {@link #angleEntropy(float[], int)} with {@value #ANGLE_BINS} bins. */
    public static double angleEntropy(float[] xy) {
        return angleEntropy(xy, ANGLE_BINS);
    }

    /** Leave-one-out 1-nearest-neighbour accuracy of labelled points (at least 2). */
    public static double nearestNeighbourAccuracy(NDManager manager, Matrix points, int[] labels) {
        return RecallAtK.compute(manager, points, labels, new int[] {1})[0];
    }
}
