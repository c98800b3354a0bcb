package org.embreg.linalg;

import ai.djl.ndarray.NDArray;
import org.embreg.loss.Embeddings;

/**
 * The nuclear norm ||X||_* of a b x d matrix and its exact gradient, the polar factor P = U V^T.
 *
 * <p>DJL has no SVD, so both come from the host, in double precision: the smaller Gram matrix G
 * (X^T X when d &lt;= b, else X X^T) is formed and decomposed there, G = V Λ V^T; with T = Λ_k^(-1/4) V_k^T
 * over the eigenvalues above rounding level, T^T T = G^(-1/2) there and P = X T^T T (or T^T T X). The
 * norm is the sum of the singular values sqrt(λ), and P is its gradient wherever X has full rank, and
 * the minimum-norm subgradient otherwise. The products use the solver's
 * {@link SymmetricEigenSolver#multiply} (the engine library's BLAS where it has one).
 *
 * @param value ||X||_*
 * @param singularValues min(b, d) values, descending, those at rounding level 0
 * @param polar U V^T, row-major b x d (zero where X is zero)
 */
public record NuclearNorm(double value, double[] singularValues, double[] polar) {
    /** The value on the graph and the singular values found on the host. */
    public record Result(NDArray value, double[] singularValues) {}

    /**
     * The nuclear norm of a host matrix.
     *
     * @param x row-major b x d; not modified
     */
    public static NuclearNorm of(double[] x, int b, int d, SymmetricEigenSolver solver) {
        return of(x, b, d, solver, new double[x.length]);
    }

    /**
     * The nuclear norm of a host matrix, its polar factor written into a given array (a caller that evaluates one
     * batch shape after another keeps its arrays: a fresh 144 x 128 array of doubles costs about 16 us here, in
     * memory that is not yet in any cache).
     *
     * @param x row-major b x d; not modified
     * @param polar b x d, overwritten with U V^T; the result's {@link #polar()}
     */
    public static NuclearNorm of(double[] x, int b, int d, SymmetricEigenSolver solver, double[] polar) {
        checkShape(x, b, d, polar);
        return solver.nuclearNorm(x, b, d, polar);
    }

    /** Checks that x and polar hold b x d entries each (for every solver's {@link SymmetricEigenSolver#nuclearNorm}). */
    static void checkShape(double[] x, int b, int d, double[] polar) {
        if (x.length != b * d || polar.length != x.length) {
            throw new IllegalArgumentException("matrix has " + x.length + " entries and its polar factor " + polar.length + ", expected " + b + " x "
                    + d);
        }
    }

    /**
     * The nuclear norm through the solver's {@link SymmetricEigenSolver#decompose} and
     * {@link SymmetricEigenSolver#multiply}, each on Java arrays: the default of
     * {@link SymmetricEigenSolver#nuclearNorm}.
     *
     * @param x row-major b x d; not modified
     */
    static NuclearNorm throughDecomposition(double[] x, int b, int d, SymmetricEigenSolver solver, double[] polarOut) {
        NuclearNorm nuc = throughDecomposition(x, b, d, solver);
        System.arraycopy(nuc.polar(), 0, polarOut, 0, polarOut.length);
        return new NuclearNorm(nuc.value(), nuc.singularValues(), polarOut);
    }

    static NuclearNorm throughDecomposition(double[] x, int b, int d, SymmetricEigenSolver solver) {
        GramSpectrum spectrum = GramSpectrum.ofMatrix(x, b, d, solver, true);
        boolean wide = d > b;
        int n = wide ? b : d;
        double[] s = spectrum.singularValues();
        double value = 0;
        for (double v : s) {
            value += v;
        }
        int kept = spectrum.kept();
        if (kept == 0) {
            return new NuclearNorm(0, s, new double[x.length]);
        }
        double[] t = spectrum.eigen().scaledVectorsTransposed(kept);
        double[] inverseRoot = solver.multiply(t, true, t, false, n, n, kept);
        double[] polar = wide ? solver.multiply(inverseRoot, false, x, false, b, d, b) : solver.multiply(x, false, inverseRoot, false, b, d, d);
        return new NuclearNorm(value, s, polar);
    }

    /**
     * The nuclear norm of a 2-D array on the graph: one transfer to the host, and the value enters the
     * graph with its gradient through {@link Embeddings#withGradient}.
     *
     * @param e b x d, float32 or float64; not modified, not closed
     * @param solver the host eigensolver
     * @return the scalar on e's manager and the singular values, descending (those at rounding level as 0)
     */
    public static Result of(NDArray e, SymmetricEigenSolver solver) {
        int b = Math.toIntExact(e.getShape().get(0));
        int d = Math.toIntExact(e.getShape().get(1));
        ai.djl.ndarray.types.DataType type = e.getDataType();
        if (type != ai.djl.ndarray.types.DataType.FLOAT32 && type != ai.djl.ndarray.types.DataType.FLOAT64) {
            throw new IllegalArgumentException("the nuclear norm takes float32 or float64, got " + type);
        }
        NuclearNorm nuc = of(Embeddings.hostValues(e.stopGradient()), b, d, solver);
        return new Result(Embeddings.withGradient(e, Embeddings.hostMatrix(e, nuc.polar(), e.getShape()), nuc.value()), nuc.singularValues());
    }
}
