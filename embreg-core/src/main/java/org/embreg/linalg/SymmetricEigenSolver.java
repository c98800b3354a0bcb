package org.embreg.linalg;

/**
 * Computes {@link SymmetricEigen} decompositions of symmetric matrices in double precision, and the
 * host matrix products that go with them (a spectrum's users form a Gram matrix before and a
 * matrix function after), with the same library.
 */
public interface SymmetricEigenSolver {
    /**
     * @param matrix row-major n x n, symmetric; not modified
     * @param n the order
     * @param wantVectors whether eigenvectors are needed
     */
    SymmetricEigen decompose(double[] matrix, int n, boolean wantVectors);

    /**
     * C = op(A) op(B) in double precision, all row-major; op transposes where asked. This default uses
     * EJML; a solver with a native library uses its BLAS.
     *
     * @param a op(A) is m x k (A is k x m when transposed)
     * @param b op(B) is k x n (B is n x k when transposed)
     * @return C, m x n, a new array
     */
    default double[] multiply(double[] a, boolean transposeA, double[] b, boolean transposeB, int m, int n, int k) {
        checkOperands(a, b, m, n, k);
        org.ejml.data.DMatrixRMaj ma = transposeA ? org.ejml.data.DMatrixRMaj.wrap(k, m, a) : org.ejml.data.DMatrixRMaj.wrap(m, k, a);
        org.ejml.data.DMatrixRMaj mb = transposeB ? org.ejml.data.DMatrixRMaj.wrap(n, k, b) : org.ejml.data.DMatrixRMaj.wrap(k, n, b);
        org.ejml.data.DMatrixRMaj c = new org.ejml.data.DMatrixRMaj(m, n);
        if (transposeA && transposeB) {
            org.ejml.dense.row.CommonOps_DDRM.multTransAB(ma, mb, c);
        } else if (transposeA) {
            org.ejml.dense.row.CommonOps_DDRM.multTransA(ma, mb, c);
        } else if (transposeB) {
            org.ejml.dense.row.CommonOps_DDRM.multTransB(ma, mb, c);
        } else {
            org.ejml.dense.row.CommonOps_DDRM.mult(ma, mb, c);
        }
        return c.data;
    }

    /**
     * The nuclear norm of a b x d matrix and its polar factor, as {@link NuclearNorm#of} defines them. This default
     * goes through {@link #decompose} and {@link #multiply}; a solver with a native library keeps the intermediate
     * matrices there.
     *
     * @param x row-major b x d (checked by the caller); not modified
     * @param polar b x d, overwritten with the polar factor (checked by the caller)
     */
    default NuclearNorm nuclearNorm(double[] x, int b, int d, double[] polar) {
        return NuclearNorm.throughDecomposition(x, b, d, this, polar);
    }

    /** Checks that the operands of {@link #multiply} hold m x k and k x n entries. */
    static void checkOperands(double[] a, double[] b, int m, int n, int k) {
        if (a.length != m * k || b.length != k * n) {
            throw new IllegalArgumentException("operands of " + a.length + " and " + b.length + " entries for a " + m + " x " + k + " by " + k + " x " + n
                    + " product");
        }
    }

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
                throw nonFinite(n, v);
            }
        }
    }

    /** The divergence that {@link #requireFinite} throws for an n x n matrix with the entry v. */
    static org.embreg.NonFiniteException nonFinite(int n, double v) {
        return new org.embreg.NonFiniteException(org.embreg.NonFiniteException.Source.TERM, "the " + n + " x " + n
                + " symmetric matrix of a spectrum (an entry is " + v + ")");
    }
}
