package org.embreg.experiments.model;

import org.embreg.experiments.retrieval.RegularizerKind;

/**
 * A regularizer on the activations of every layer of a network ({@link org.embreg.nn.CapturingBlock#layers}),
 * each layer's term weighted alike; or layers only watched by the collapse monitor.
 *
 * @param regularizer which regularizer (NONE: no layer is regularized)
 * @param weight the weight of each layer's term
 * @param watch whether a collapse monitor watches every layer (always so when they are regularized)
 */
public record LayerRegularization(RegularizerKind regularizer, double weight, boolean watch) {
    /** No layer regularized or watched. */
    public static final LayerRegularization NONE = new LayerRegularization(RegularizerKind.NONE, 0, false);
    /** Every layer watched, none regularized. */
    public static final LayerRegularization WATCHED = new LayerRegularization(RegularizerKind.NONE, 0, true);

    public LayerRegularization {
        java.util.Objects.requireNonNull(regularizer, "regularizer");
        if (!(weight >= 0 && Double.isFinite(weight))) {
            throw new IllegalArgumentException("invalid layer weight: " + weight);
        }
        if (regularizer == RegularizerKind.NONE && weight != 0) {
            throw new IllegalArgumentException("layer weight " + weight + " has no effect without a layer regularizer");
        }
        watch = watch || regularizer != RegularizerKind.NONE;
    }

    /** Every layer regularized (and watched). */
    public static LayerRegularization regularized(RegularizerKind regularizer, double weight) {
        return new LayerRegularization(regularizer, weight, true);
    }

    /** Whether any layer is regularized. */
    public boolean active() {
        return regularizer != RegularizerKind.NONE;
    }
}
