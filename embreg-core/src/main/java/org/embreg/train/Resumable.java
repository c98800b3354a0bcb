package org.embreg.train;

/**
 * A part of a training run whose state a checkpoint keeps and a resumed run restores: a listener's
 * counters and tables, so that a run killed and continued from its last checkpoint logs, measures
 * and warns exactly as the uninterrupted run would.
 *
 * <p>The state is taken between two steps (after an update, when every listener has seen the same
 * batches) and restored after {@code onTrainingBegin}, before the first step of the resumed part.
 *
 * @param <S> an immutable record of the state (what the checkpoint writes)
 */
public interface Resumable<S extends Record> {
    /** The state after the batches seen so far. */
    S snapshot();

    /** Continues from a state that {@link #snapshot} took, replacing the current one. */
    void restore(S state);

    /** The state's type, to read it back. */
    Class<S> stateType();
}
