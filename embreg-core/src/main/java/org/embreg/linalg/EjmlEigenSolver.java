package org.embreg.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** The pure-Java solver: EJML's symmetric QR algorithm. Always available. */
public final class EjmlEigenSolver implements SymmetricEigenSolver {
    @Override
    public SymmetricEigen decompose(double[] matrix, int n, boolean wantVectors) {
        if (matrix.length != n * n) {
            throw new IllegalArgumentException("matrix has " + matrix.length + " entries, expected " + n + " x " + n);
        }
        SymmetricEigenSolver.requireFinite(matrix, n);
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
                System.arraycopy(eig.getEigenVector(src).data, 0, vectors, k * n, n);
            }
        }
        return new SymmetricEigen(n, values, vectors);
    }

    @Override
    public String name() {
        return "ejml";
    }
}
