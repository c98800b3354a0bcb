package org.embreg.loss;

import ai.djl.ndarray.NDArray;

/** Operations on embedding batches shared by the losses. Pure functions on the autograd graph. */
public final class Embeddings {
    private Embeddings() {}

    /** Smallest row norm used when normalizing, as in torch.nn.functional.normalize. */
    public static final double NORM_EPS = 1e-12;

    /** Rows scaled to unit L2 norm (rows of norm below 1e-12 are divided by 1e-12). */
    public static NDArray l2NormalizeRows(NDArray e) {
        return e.normalize(2, 1, NORM_EPS);
    }

    /**
     * Squared Euclidean distances between all rows, b x b, from the differences themselves (not
     * |x|^2 + |y|^2 - 2 x.y, whose rounding swamps small distances and their gradients).
     *
     * @param e b x d
     * @return b x b
     */
    public static NDArray squaredDistances(NDArray e) {
        return e.expandDims(1).sub(e.expandDims(0)).square().sum(new int[] {2});
    }

    /**
     * Euclidean distances from squared ones; distances below 1e-8 count as 1e-8 with a zero
     * gradient, so identical rows give a finite (zero) gradient instead of NaN.
     */
    public static NDArray distancesFromSquared(NDArray squared) {
        return Scalars.atLeast(squared, 1e-16).sqrt();
    }
}
