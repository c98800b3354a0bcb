package org.embreg.loss;

import java.util.Arrays;
import java.util.function.Function;

/**
 * What a loss derives from a batch's labels alone (pairs, masks), built once and reused while the
 * labels stay the same: a class-balanced sampler repeats one layout every step. Serves one training
 * thread, as the loss that holds it.
 *
 * @param <T> the derived value
 */
final class PerLayout<T> {
    private final Function<int[], T> build;
    private int[] labels;
    private T value;

    PerLayout(Function<int[], T> build) {
        this.build = build;
    }

    /** The value for these labels (not modified, not kept: a copy is). */
    T get(int[] labels) {
        if (this.labels == null || !Arrays.equals(this.labels, labels)) {
            value = build.apply(labels);
            this.labels = labels.clone();
        }
        return value;
    }
}
