package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * A loss that computes the singular spectrum of its batch (SVMax) and lets diagnostics reuse it
 * instead of computing it again.
 */
public interface BatchSpectrumSource {
    /**
     * The singular values (descending) of the L2-normalized rows of {@code embeddings}, when the
     * last evaluation computed exactly those.
     *
     * @param embeddings the very array the loss was evaluated on
     */
    Optional<double[]> normalizedSingularValues(NDArray embeddings);
}
