package org.embreg.train;

import ai.djl.TrainingDivergedException;

/**
 * Training diverged: thrown by {@link DivergenceGuard} before the update of the step that produced
 * non-finite values, so the model keeps its last good parameters. A DJL {@link
 * TrainingDivergedException}, so {@code EasyTrain.fit} stops with it; embreg's {@link TrainingLoop}
 * turns it into a result.
 */
public final class DivergedException extends TrainingDivergedException {
    private static final long serialVersionUID = 1L;
    private final transient Divergence divergence;

    public DivergedException(Divergence divergence) {
        super(divergence.describe());
        this.divergence = divergence;
    }

    public Divergence divergence() {
        return divergence;
    }
}
