package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDManager;
import org.embreg.train.BatchSource;
import org.embreg.train.TwoViewBatches;

/** Two-view batches that keep the time spent making them: what the augmentations cost a step. */
final class TimedBatches implements BatchSource {
    private final TwoViewBatches views;
    private long nanos;
    private int batches;

    TimedBatches(TwoViewBatches views) {
        this.views = views;
    }

    @Override
    public StepBatch next(NDManager scope) {
        long t0 = System.nanoTime();
        StepBatch b = views.next(scope);
        nanos += System.nanoTime() - t0;
        batches++;
        return b;
    }

    /** Moves past batches without making them (a resumed run). */
    void skip(int n) {
        views.skip(n);
    }

    /** Mean seconds to make one batch (its views and their engine arrays), or null before the first. */
    Double secondsPerBatch() {
        return batches == 0 ? null : nanos / 1e9 / batches;
    }
}
