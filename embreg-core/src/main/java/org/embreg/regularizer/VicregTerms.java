package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import org.embreg.loss.Scalars;

/**
 * The three VICReg terms (Bardes, Ponce, LeCun 2022) as pure functions on the autograd graph, as
 * the official code computes them. Variances and covariances are unbiased (divided by b - 1).
 */
public final class VicregTerms {
    private VicregTerms() {}

    /** Default target standard deviation gamma. */
    public static final double GAMMA = 1.0;
    /** Default epsilon under the square root. */
    public static final double EPS = 1e-4;

    /**
     * Variance term v(Z) = mean_j max(0, gamma - sqrt(Var(Z_j) + eps)).
     *
     * @param z b x d
     * @return a scalar
     */
    public static NDArray variance(NDArray z, double gamma, double eps) {
        NDArray std = Scalars.add(columnVariance(z), eps).sqrt();
        return Scalars.atLeast(Scalars.subtractFrom(gamma, std), 0).mean();
    }

    /** Invariance term s(Z, Z'): mean squared error over all entries. */
    public static NDArray invariance(NDArray z, NDArray zPrime) {
        return z.sub(zPrime).square().mean();
    }

    /**
     * Covariance term c(Z) = sum_{i != j} C_ij^2 / d, with C the unbiased covariance of the
     * centred batch.
     */
    public static NDArray covariance(NDArray z) {
        long b = z.getShape().get(0);
        long d = z.getShape().get(1);
        NDArray centred = z.sub(z.mean(new int[] {0}, true));
        NDArray cov = Scalars.div(centred.transpose().matMul(centred), b - 1);
        NDArray all = cov.square().sum();
        NDArray diag = columnVariance(z).square().sum();
        return Scalars.div(all.sub(diag), d);
    }

    /** Unbiased per-column variance, 1-D of length d. */
    public static NDArray columnVariance(NDArray z) {
        long b = z.getShape().get(0);
        NDArray centred = z.sub(z.mean(new int[] {0}, true));
        return Scalars.div(centred.square().sum(new int[] {0}), b - 1);
    }
}
