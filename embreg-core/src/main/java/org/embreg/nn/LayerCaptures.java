package org.embreg.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;

/**
 * Where a {@link CapturingBlock} records the activations of its capture points during training
 * forward passes, for the loss of the same step ({@link org.embreg.regularizer.LayerRegularizer}) and
 * the collapse monitor. The recorded arrays are the very arrays the next layer consumes, on the
 * autograd graph, so a loss on them trains every layer below.
 *
 * <p>A step's forward passes record (a two-view network records two entries per point, one per
 * view, in call order); the step's loss {@link #take takes} them, and they stay readable as the
 * latest step's ({@link #latest}) until the next take, for listeners that run after the step. Entries whose
 * arrays were closed (a step's scope closed without its loss taking them) are dropped when the next
 * entry is recorded. Like the losses, a sink serves one training thread.
 *
 * <p>As a matrix ({@link #matrix}): a rank-2 activation (b x c) as it is; a convolutional map
 * (b, c, h, w) or any rank above 2, averaged over everything after the channel axis (global
 * average pooling: b x c), or, with {@link Reduction#FLATTEN}, flattened to b x (c h w).
 */
public final class LayerCaptures {
    /** How an activation of rank above 2 becomes a b x c matrix. */
    public enum Reduction {
        /** Mean over the spatial axes: b x c. */
        GLOBAL_AVERAGE,
        /** Every value a column: b x (c h w). */
        FLATTEN
    }

    private final Reduction reduction;
    private final Map<String, List<NDArray>> pending = new LinkedHashMap<>();
    private Map<String, List<NDArray>> last = Map.of();
    /** Whether the latest forward pass through the capturing block was an inference pass (which records nothing). */
    private boolean inferencePass;

    /** A sink that reduces convolutional maps by global average pooling. */
    public LayerCaptures() {
        this(Reduction.GLOBAL_AVERAGE);
    }

    public LayerCaptures(Reduction reduction) {
        this.reduction = java.util.Objects.requireNonNull(reduction, "reduction");
    }

    public Reduction reduction() {
        return reduction;
    }

    /** Notes a forward pass through the capturing block, in training mode or not (called by {@link CapturingBlock}). */
    void pass(boolean training) {
        inferencePass = !training;
    }

    /**
     * Whether the latest forward pass was an inference pass: DJL's {@code EasyTrain} evaluates the
     * training loss on validation batches, and a layer term has nothing to read there.
     */
    public boolean inferencePass() {
        return inferencePass;
    }

    /** Records the output of a capture point (called by {@link CapturingBlock} in training forward passes). */
    void record(String point, NDArray activation) {
        pending.values().forEach(list -> list.removeIf(NDArray::isReleased));
        pending.computeIfAbsent(point, p -> new ArrayList<>()).add(activation);
    }

    /**
     * Takes what this step's forward passes recorded: point to its activations in call order. They
     * remain readable through {@link #last} until the next take.
     */
    public Map<String, List<NDArray>> take() {
        Map<String, List<NDArray>> out = new LinkedHashMap<>();
        pending.forEach((point, list) -> {
            if (!list.isEmpty()) {
                out.put(point, List.copyOf(list));
            }
        });
        pending.clear();
        last = java.util.Collections.unmodifiableMap(out);
        return last;
    }

    /**
     * The activations of a point from the latest step: those recorded and not yet taken (a run with
     * no layer loss), or else those the last {@link #take} returned.
     *
     * @throws EmbregException when neither holds the point, or their arrays were closed
     */
    public List<NDArray> latest(String point) {
        List<NDArray> list = pending.get(point);
        if (list == null || list.isEmpty()) {
            list = last.get(point);
        }
        if (list == null || list.isEmpty()) {
            java.util.Set<String> recorded = new java.util.TreeSet<>(last.keySet());
            pending.forEach((p, l) -> {
                if (!l.isEmpty()) {
                    recorded.add(p);
                }
            });
            throw new EmbregException("capture point '" + point + "' recorded nothing in the latest step (the network must be wrapped in a "
                    + "CapturingBlock with this point that records into this sink); points recorded: " + recorded);
        }
        if (list.get(0).isReleased()) {
            throw new EmbregException("the activations of capture point '" + point + "' were read after their step's arrays were closed");
        }
        return List.copyOf(list);
    }

    /** An activation as a b x c matrix, by this sink's {@link Reduction}; on the graph, on the activation's manager. */
    public NDArray matrix(NDArray activation) {
        Shape s = activation.getShape();
        if (s.dimension() < 2) {
            throw new EmbregException("a captured activation must have a batch axis and at least one more, got shape " + s);
        }
        long b = s.get(0);
        if (s.dimension() == 2) {
            return activation;
        }
        if (reduction == Reduction.FLATTEN) {
            return activation.reshape(b, -1);
        }
        // the PyTorch engine averages over one axis at a time: (b, c, everything else) then the last axis
        return activation.reshape(b, s.get(1), -1).mean(new int[] {2});
    }
}
