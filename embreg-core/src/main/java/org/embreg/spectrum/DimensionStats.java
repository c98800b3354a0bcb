package org.embreg.spectrum;

import org.embreg.data.Matrix;

/**
 * Per-dimension spread of an embedding matrix: the unbiased standard deviation of every column and
 * how many fall below a threshold (collapsed dimensions).
 *
 * @param std one per column
 * @param threshold the collapse threshold
 * @param collapsed how many columns have std below the threshold
 */
public record DimensionStats(double[] std, double threshold, int collapsed) {
    /** Default collapse threshold on the standard deviation. */
    public static final double DEFAULT_THRESHOLD = 1e-3;

    public static DimensionStats of(Matrix m, double threshold) {
        if (m.rows() < 2) {
            throw new IllegalArgumentException("a standard deviation needs at least 2 rows, got " + m.rows());
        }
        int d = m.cols();
        double[] mean = new double[d];
        float[] x = m.data();
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x[r * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= m.rows();
        }
        double[] var = new double[d];
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < d; c++) {
                double v = x[r * d + c] - mean[c];
                var[c] += v * v;
            }
        }
        double[] std = new double[d];
        for (int c = 0; c < d; c++) {
            std[c] = Math.sqrt(var[c] / (m.rows() - 1));
        }
        return fromStd(std, threshold);
    }

    /** The counts for standard deviations measured elsewhere (for example summed over a cluster's partitions). */
    public static DimensionStats fromStd(double[] std, double threshold) {
        int collapsed = 0;
        for (double v : std) {
            collapsed += v < threshold ? 1 : 0;
        }
        return new DimensionStats(std, threshold, collapsed);
    }
}
