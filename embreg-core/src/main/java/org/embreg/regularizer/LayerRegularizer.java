package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.embreg.EmbregException;
import org.embreg.NonFiniteException;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Scalars;
import org.embreg.loss.TermValue.Aggregate;
import org.embreg.nn.LayerCaptures;

/**
 * A regularizer on every captured layer, as weight decay acts on every layer's weights: for each
 * capture point of a {@link org.embreg.nn.CapturingBlock}, the regularizer (one instance per layer,
 * from a factory: SVMax, a VICReg term, spread-out) on that layer's activations of this step as a b x c
 * matrix ({@link LayerCaptures#matrix}), times the layer's weight; the result is the sum. A layer the
 * step ran more than once (two views through one encoder) contributes the mean over its runs.
 *
 * <p>One weight for all layers is the default: the bounded SVMax form makes it meaningful across
 * widths, since its value lies in [1, e] whatever b and c. Where a layer is wider than the batch
 * (c &gt; b) its rank is at most b, and the bounds become L = sqrt(b)/c and U = b/c: U is reached when
 * the batch's b activation vectors are orthogonal (full batch rank), not when all c channels are used.
 *
 * <p>It reads the layers from the sink, not from its views: use it as a part of a
 * {@link org.embreg.loss.WeightedSumLoss} beside the loss on the embedding (its views are only
 * passed through). Reports each layer's weighted term as {@code <name>.<point>}. The step's
 * evaluation takes the sink's records ({@link LayerCaptures#take}); DJL's second evaluation of the
 * same batch reuses the first result and does not read the sink again. On a batch the network saw
 * in inference (a validation pass, which records nothing) the term is 0.
 */
public final class LayerRegularizer extends EmbeddingLoss {
    /**
     * One regularized layer.
     *
     * @param point the capture point
     * @param weight its weight
     * @param regularizer its own regularizer instance
     */
    public record Layer(String point, double weight, EmbeddingLoss regularizer) {}

    private final LayerCaptures captures;
    private final List<Layer> layers;

    private LayerRegularizer(String name, LayerCaptures captures, List<Layer> layers) {
        super(name, 1, layers.stream().anyMatch(l -> l.regularizer().needsLabels()));
        this.captures = captures;
        this.layers = List.copyOf(layers);
    }

    /**
     * @param captures the sink the network's {@link org.embreg.nn.CapturingBlock} records into
     * @param points the capture points to regularize
     * @param regularizer makes one regularizer (on one b x c matrix) per layer
     */
    public static Builder builder(LayerCaptures captures, List<String> points, Supplier<? extends EmbeddingLoss> regularizer) {
        return new Builder(captures, points, regularizer);
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        Map<String, List<NDArray>> taken = captures.take();
        if (taken.isEmpty() && captures.inferencePass()) {
            // an evaluation pass (DJL's EasyTrain validates with the training loss): no layer was recorded, the term is 0
            return Scalars.mul(views.get(0).sum(), 0);
        }
        NDList labelList = labels == null ? new NDList() : new NDList(labels);
        NDArray total = null;
        for (Layer layer : layers) {
            List<NDArray> runs = taken.get(layer.point());
            if (runs == null) {
                throw new EmbregException(getName() + ": capture point '" + layer.point() + "' recorded nothing in this step; the network must be "
                        + "wrapped in a CapturingBlock with this point that records into this loss's sink (recorded: " + taken.keySet() + ")");
            }
            NDArray sum = null;
            for (NDArray run : runs) {
                NDArray value;
                try {
                    value = layer.regularizer().evaluate(labelList, new NDList(captures.matrix(run)));
                } catch (NonFiniteException e) {
                    // an activation that overflowed is training diverging inside the network, not a bad input
                    NonFiniteException named = new NonFiniteException(NonFiniteException.Source.TERM, "the activations of layer " + layer.point() + " ("
                            + e.where() + ")");
                    named.initCause(e);
                    throw named;
                } catch (EmbregException e) {
                    // a layer the regularizer cannot take (one channel for SVMax, say): name the layer
                    throw new EmbregException(getName() + ", layer " + layer.point() + ": " + e.getMessage(), e);
                }
                sum = sum == null ? value : sum.add(value);
            }
            NDArray weighted = Scalars.mul(sum, layer.weight() / runs.size());
            report(getName() + "." + layer.point(), weighted, Aggregate.BATCH);
            total = total == null ? weighted : total.add(weighted);
        }
        return total;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("point", l.point());
            m.put("weight", l.weight());
            m.put("type", l.regularizer().getClass().getSimpleName());
            m.put("hyperparameters", l.regularizer().hyperparameters());
            list.add(m);
        }
        return Map.of("reduction", captures.reduction().name(), "layers", list);
    }

    /** Builds a {@link LayerRegularizer}: weight 1 for every layer unless set. */
    public static final class Builder {
        private final LayerCaptures captures;
        private final List<String> points;
        private final Supplier<? extends EmbeddingLoss> regularizer;
        private final Map<String, Double> weights = new LinkedHashMap<>();
        private double weight = 1;
        private String name = "layers";

        private Builder(LayerCaptures captures, List<String> points, Supplier<? extends EmbeddingLoss> regularizer) {
            this.captures = java.util.Objects.requireNonNull(captures, "captures");
            this.points = List.copyOf(points);
            this.regularizer = java.util.Objects.requireNonNull(regularizer, "regularizer");
        }

        /** The weight of every layer not given its own. */
        public Builder optWeight(double weight) {
            this.weight = weight;
            return this;
        }

        /** The weight of one layer. */
        public Builder optWeight(String point, double weight) {
            if (!points.contains(point)) {
                throw new IllegalArgumentException("no capture point '" + point + "' among " + points);
            }
            weights.put(point, weight);
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public LayerRegularizer build() {
            if (points.isEmpty()) {
                throw new IllegalArgumentException("a layer regularizer needs at least one capture point");
            }
            List<Layer> layers = new ArrayList<>();
            for (String p : points) {
                double w = weights.getOrDefault(p, weight);
                if (!Double.isFinite(w) || w < 0) {
                    throw new IllegalArgumentException("the weight of layer " + p + " must be a finite number >= 0, got " + w);
                }
                EmbeddingLoss r = regularizer.get();
                if (layers.stream().anyMatch(l -> l.regularizer() == r)) {
                    throw new IllegalArgumentException("the regularizer factory must make a new instance per layer (each keeps its last batch)");
                }
                if (r.views() != 1) {
                    throw new IllegalArgumentException("a layer regularizer acts on one matrix; " + r.getName() + " needs " + r.views() + " views");
                }
                layers.add(new Layer(p, w, r));
            }
            return new LayerRegularizer(name, captures, layers);
        }
    }
}
