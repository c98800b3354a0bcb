package org.embreg.linalg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The nuclear norm ||E||_* of a b x d matrix with its exact gradient, on the autograd graph.
 *
 * <p>DJL has no SVD, so the polar factor P = U V^T is computed off the graph: the smaller Gram matrix
 * G (E^T E when d <= b, else E E^T) is formed by the engine in double precision, decomposed on the
 * host by {@link SymmetricEigen}, and P = E G^(-1/2) (or G^(-1/2) E) is formed by the engine again.
 * Then {@code sum(E * stopGradient(P))} equals ||E||_* (since &lt;E, U V^T&gt; = sum of singular
 * values) and its gradient is U V^T, the gradient of the nuclear norm wherever E has full rank and
 * the minimum-norm subgradient otherwise (singular directions at rounding level are left out).
 */
public final class NuclearNorm {
    private NuclearNorm() {}

    /** The value on the graph and the singular values found on the host. */
    public record Result(NDArray value, double[] singularValues) {}

    /**
     * Computes the nuclear norm of a 2-D array.
     *
     * @param e b x d, float32 or float64; not modified, not closed
     * @return the scalar on e's manager (caller closes) and the singular values, descending
     */
    public static Result of(NDArray e) {
        Shape shape = e.getShape();
        int b = Math.toIntExact(shape.get(0));
        int d = Math.toIntExact(shape.get(1));
        boolean wide = d > b;
        int n = wide ? b : d;
        NDArray e64 = e.stopGradient().toType(DataType.FLOAT64, false);
        NDArray gram = wide ? e64.matMul(e64.transpose()) : e64.transpose().matMul(e64);
        SymmetricEigen eig = SymmetricEigen.of(gram.toDoubleArray(), n, true);
        double[] w = eig.inverseSquareRoot(eig.noiseThreshold());
        NDArray wArr = e.getManager().create(w, new Shape(n, n));
        NDArray polar64 = wide ? wArr.matMul(e64) : e64.matMul(wArr);
        NDArray polar = polar64.toType(e.getDataType(), false).stopGradient();
        NDArray value = e.mul(polar).sum();
        double[] s = eig.values().clone();
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(s[i]);
        }
        e64.close();
        gram.close();
        wArr.close();
        polar64.close();
        return new Result(value, s);
    }
}
