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
}
