package org.embreg.linalg;

/**
 * The singular values of a matrix E from the eigen-decomposition of its smaller Gram matrix
 * (E^T E or E E^T, in double precision): the one path by which both the SVMax loss and the
 * diagnostics find a spectrum. Eigenvalues at rounding level (below
 * {@link SymmetricEigen#noiseThreshold()}) count as zero.
 *
 * @param eigen the decomposition of the Gram matrix
 * @param kept how many eigenvalues lie above rounding level
 * @param singularValues min(b, d) values, descending, those at rounding level 0
 */
public record GramSpectrum(SymmetricEigen eigen, int kept, double[] singularValues) {
    /**
     * @param gram row-major n x n Gram matrix; not modified
     * @param n its order
     * @param solver the eigensolver
     * @param wantVectors whether the eigenvectors are needed (for a gradient or a refinement)
     */
    public static GramSpectrum of(double[] gram, int n, SymmetricEigenSolver solver, boolean wantVectors) {
        return decompose(gram, n, solver, wantVectors);
    }

    /**
     * The spectrum of a b x d matrix from its smaller Gram matrix (X^T X when d &lt;= b, else X X^T),
     * formed by the solver's {@link SymmetricEigenSolver#multiply}.
     *
     * @param x row-major b x d; not modified
     */
    public static GramSpectrum ofMatrix(double[] x, int b, int d, SymmetricEigenSolver solver, boolean wantVectors) {
        if (x.length != b * d) {
            throw new IllegalArgumentException("matrix has " + x.length + " entries, expected " + b + " x " + d);
        }
        boolean wide = d > b;
        double[] gram = wide ? solver.multiply(x, false, x, true, b, b, d) : solver.multiply(x, true, x, false, d, d, b);
        return decompose(gram, wide ? b : d, solver, wantVectors);
    }

    private static GramSpectrum decompose(double[] gram, int n, SymmetricEigenSolver solver, boolean wantVectors) {
        SymmetricEigen eig = solver.decompose(gram, n, wantVectors);
        int kept = eig.countAbove(eig.noiseThreshold());
        return new GramSpectrum(eig, kept, eig.singularValues(kept));
    }
}
