package org.embreg.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The nuclear norm ||E||_* of a b x d matrix with its exact gradient, on the autograd graph.
 *
 * <p>DJL has no SVD, so the polar factor P = U V^T is computed off the graph: the smaller Gram matrix
 * G (E^T E when d &lt;= b, else E E^T) is formed by the engine in double precision and decomposed on
 * the host, G = V Λ V^T; with T = Λ_k^(-1/4) V_k^T over the eigenvalues above rounding level, the
 * engine forms P = E T^T T (or T^T T E), since T^T T = G^(-1/2) there. Then {@code sum(E * stopGradient(P))} equals ||E||_*
 * (since &lt;E, U V^T&gt; is the sum of the singular values) and its gradient is U V^T: the gradient
 * of the nuclear norm wherever E has full rank, and the minimum-norm subgradient otherwise.
 *
 * <p>Memory: the arrays it creates live on e's manager; the caller closes it after backward.
 */
public final class NuclearNorm {
    private NuclearNorm() {}

    /** The value on the graph and the singular values found on the host. */
    public record Result(NDArray value, double[] singularValues) {}

    /**
     * Computes the nuclear norm of a 2-D array.
     *
     * @param e b x d, float32 or float64; not modified, not closed
     * @param solver the host eigensolver
     * @return the scalar on e's manager and the singular values, descending (those at rounding level as 0)
     */
    public static Result of(NDArray e, SymmetricEigenSolver solver) {
        Shape shape = e.getShape();
        int b = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(shape.get(1));
        boolean wide = d > b;
        int n = wide ? b : d;
        NDArray e64 = e.stopGradient().toType(DataType.FLOAT64, false);
        NDArray gram = wide ? e64.matMul(e64.transpose()) : e64.transpose().matMul(e64);
        GramSpectrum spectrum = GramSpectrum.of(gram.toDoubleArray(), n, solver, true);
        SymmetricEigen eig = spectrum.eigen();
        int kept = spectrum.kept();
        double[] s = spectrum.singularValues();
        if (kept == 0) {
            return new Result(e.sum().mul(e.sum().zerosLike()), s);
        }
        NDArray t = e.getManager().create(eig.scaledVectorsTransposed(kept), new Shape(kept, n));
        NDArray polar64 = wide ? t.transpose().matMul(t.matMul(e64)) : e64.matMul(t.transpose()).matMul(t);
        NDArray polar = polar64.toType(e.getDataType(), false).stopGradient();
        return new Result(e.mul(polar).sum(), s);
    }
}
