package org.embreg.regularizer;

/**
 * Bounds on the mean singular value s_mu = ||E||_* / d of a b x d matrix whose rows have unit L2
 * norm (Taha et al. 2021): L = sqrt(b) / d is reached when all rows are identical (rank 1) and
 * U = sqrt(b * min(b, d)) / d when the rows are as spread as possible.
 *
 * @param rows b
 * @param dim d
 */
public record SvmaxBounds(int rows, int dim) {
    public SvmaxBounds {
        if (rows < 1 || dim < 1) {
            throw new IllegalArgumentException("bounds need a positive shape, got " + rows + " x " + dim);
        }
    }

    /** L = sqrt(b) / d. */
    public double lower() {
        return Math.sqrt(rows) / dim;
    }

    /** U = sqrt(b * min(b, d)) / d. */
    public double upper() {
        return Math.sqrt((double) rows * Math.min(rows, dim)) / dim;
    }

    /** Whether the bounded loss is defined, that is U > L (b >= 2 and d >= 2). */
    public boolean isProper() {
        return rows >= 2 && dim >= 2;
    }

    /** The bounded SVMax loss exp((U - s_mu) / (U - L)) without its weight: e at s_mu = L, 1 at U. */
    public double boundedLoss(double meanSingularValue) {
        return Math.exp((upper() - meanSingularValue) / (upper() - lower()));
    }
}
