package org.embreg.linalg;

/** Computes {@link SymmetricEigen} decompositions of symmetric matrices in double precision. */
public interface SymmetricEigenSolver {
    /**
     * @param matrix row-major n x n, symmetric; not modified
     * @param n the order
     * @param wantVectors whether eigenvectors are needed
     */
    SymmetricEigen decompose(double[] matrix, int n, boolean wantVectors);

    /** A short name for provenance and benchmarks. */
    String name();

    /**
     * Checks that a matrix to decompose is finite: a spectrum of a non-finite matrix is a training
     * divergence (typed, so the training loop stops on it), never a solver's arbitrary failure.
     *
     * @throws org.embreg.NonFiniteException naming the matrix
     */
    static void requireFinite(double[] matrix, int n) {
        for (double v : matrix) {
            if (!Double.isFinite(v)) {
                throw new org.embreg.NonFiniteException(org.embreg.NonFiniteException.Source.TERM, "the " + n + " x " + n
                        + " symmetric matrix of a spectrum (an entry is " + v + ")");
            }
        }
    }
}
