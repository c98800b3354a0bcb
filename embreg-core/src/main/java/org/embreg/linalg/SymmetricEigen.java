package org.embreg.linalg;

/**
 * Eigen-decomposition of a symmetric positive semi-definite matrix (a Gram matrix) in double
 * precision: eigenvalues in descending order, clamped at zero, and optionally the eigenvectors.
 * Computed by a {@link SymmetricEigenSolver}.
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    /** Eigenvectors one after another (column-major n x n): entry r of vector c is vectors[c * n + r]; or null. */
    private final double[] vectors;

    /**
     * @param n the order
     * @param values eigenvalues, descending, non-negative; taken, not copied
     * @param vectors the eigenvectors one after another (column-major n x n), in the order of values, or null
     */
    public SymmetricEigen(int n, double[] values, double[] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    public int order() {
        return n;
    }

    /** Eigenvalues, descending, non-negative. Caller must not modify. */
    public double[] values() {
        return values;
    }

    /** Eigenvectors one after another (entry r of vector c at c * n + r), or null. Caller must not modify. */
    public double[] vectors() {
        return vectors;
    }

    /**
     * Singular values of the matrix whose Gram matrix this is: sqrt of the first {@code kept}
     * eigenvalues, and 0 for the rest (eigenvalues at rounding level, whose square roots would
     * otherwise add about 1e-8 each).
     */
    public double[] singularValues(int kept) {
        double[] s = new double[n];
        for (int i = 0; i < kept; i++) {
            s[i] = Math.sqrt(values[i]);
        }
        return s;
    }

    /** How many eigenvalues lie above the threshold. */
    public int countAbove(double threshold) {
        int kept = 0;
        while (kept < n && values[kept] > threshold) {
            kept++;
        }
        return kept;
    }

    /**
     * The first {@code kept} eigenvectors, each scaled by λ^(-1/4), one after another: a kept x n
     * row-major matrix T with T^T T = V Λ^(-1/2) V^T = G^(-1/2) restricted to those directions.
     */
    public double[] scaledVectorsTransposed(int kept) {
        if (vectors == null) {
            throw new IllegalStateException("eigenvectors were not computed");
        }
        double[] out = new double[kept * n];
        for (int k = 0; k < kept; k++) {
            double scale = inverseFourthRoot(values[k]);
            int o = k * n;
            for (int r = 0; r < n; r++) {
                out[o + r] = vectors[o + r] * scale;
            }
        }
        return out;
    }

    /** λ^(-1/4), the scale of a kept eigenvector in {@link #scaledVectorsTransposed}. */
    static double inverseFourthRoot(double value) {
        return Math.pow(value, -0.25);
    }

    /**
     * The threshold below which an eigenvalue of a Gram matrix computed in double precision is
     * indistinguishable from rounding error.
     */
    public double noiseThreshold() {
        double max = n == 0 ? 0 : values[0];
        return max * n * 1e-13;
    }
}
