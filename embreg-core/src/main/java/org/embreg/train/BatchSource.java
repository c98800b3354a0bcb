package org.embreg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Where the batches of a training run come from: class-balanced labelled images ({@link
 * LabelledBatches}), noise for a generator ({@link NoiseBatches}), two views of the same images.
 * Seeded, so the same seed gives the same batches.
 */
public interface BatchSource {
    /**
     * One batch.
     *
     * @param data the network's input
     * @param labels the labels, or an empty list
     */
    record StepBatch(NDList data, NDList labels) {}

    /** The next batch, its arrays created on {@code scope}. */
    StepBatch next(NDManager scope);
}
