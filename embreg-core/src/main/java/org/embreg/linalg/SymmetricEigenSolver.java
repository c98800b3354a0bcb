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
}
