package org.embreg.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigen-decomposition of a symmetric positive semi-definite matrix (a Gram matrix), computed on the
 * host in double precision with EJML. Eigenvalues are sorted in descending order and clamped at zero.
 */
public final class SymmetricEigen {
    private final int n;
    private final double[] values;
    /** Eigenvectors as columns, row-major n x n: vectors[r * n + c] is entry r of vector c. */
    private final double[] vectors;

    private SymmetricEigen(int n, double[] values, double[] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes a symmetric matrix.
     *
     * @param matrix row-major n x n, not modified
     * @param n the order
     * @param wantVectors whether eigenvectors are needed
     * @return the decomposition
     */
    public static SymmetricEigen of(double[] matrix, int n, boolean wantVectors) {
        if (matrix.length != n * n) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected " + n + " x " + n);
        }
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        System.arraycopy(matrix, 0, a.data, 0, matrix.length);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, wantVectors, true);
        if (!eig.decompose(a)) {
            throw new ArithmeticException("symmetric eigen-decomposition of a " + n + " x " + n + " matrix did not converge");
        }
        Integer[] order = new Integer[n];
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            raw[i] = eig.getEigenvalue(i).getReal();
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(raw[y], raw[x]));
        double[] values = new double[n];
        double[] vectors = wantVectors ? new double[n * n] : null;
        for (int k = 0; k < n; k++) {
            int src = order[k];
            values[k] = Math.max(0.0, raw[src]);
            if (wantVectors) {
                DMatrixRMaj v = eig.getEigenVector(src);
                for (int r = 0; r < n; r++) {
                    vectors[r * n + k] = v.data[r];
                }
            }
        }
        return new SymmetricEigen(n, values, vectors);
    }

    public int order() {
        return n;
    }

    /** Eigenvalues, descending, non-negative. Caller must not modify. */
    public double[] values() {
        return values;
    }

    /**
     * Returns V f(Λ) V^T for the eigenvalues above {@code threshold}, with f(λ) = λ^(-1/2): the
     * pseudo-inverse square root. Directions at or below the threshold are left out.
     *
     * @param threshold eigenvalues at or below it count as zero
     * @return row-major n x n
     */
    public double[] inverseSquareRoot(double threshold) {
        if (vectors == null) {
            throw new IllegalStateException("eigenvectors were not computed");
        }
        int kept = 0;
        while (kept < n && values[kept] > threshold) {
            kept++;
        }
        double[] scaled = new double[n * kept];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < kept; k++) {
                scaled[r * kept + k] = vectors[r * n + k] / Math.sqrt(values[k]);
            }
        }
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double s = 0;
                int ri = i * kept;
                int rj = j * n;
                for (int k = 0; k < kept; k++) {
                    s += scaled[ri + k] * vectors[rj + k];
                }
                out[i * n + j] = s;
                out[j * n + i] = s;
            }
        }
        return out;
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
