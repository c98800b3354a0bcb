package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.loss.TermValue.Aggregate;

/**
 * A weighted sum of embedding losses, evaluated on the same batch: for example a contrastive loss
 * plus an SVMax regularizer. Reports the total first as {@code total}, then each part as
 * {@code <part name>} (weighted) followed by the part's own terms. The inputs are checked once, for
 * the sum, not again for every part.
 */
public final class WeightedSumLoss extends EmbeddingLoss implements BatchSpectrumSource {
    /** One weighted part of the sum. */
    public record Part(double weight, EmbeddingLoss loss) {
        public Part {
            if (!Double.isFinite(weight)) {
                throw new IllegalArgumentException("weight of " + loss.getName() + " must be finite, got " + weight);
            }
        }
    }

    private final List<Part> parts;

    private WeightedSumLoss(String name, List<Part> parts) {
        super(name, parts.stream().mapToInt(p -> p.loss().views()).max().orElse(1),
                parts.stream().anyMatch(p -> p.loss().needsLabels()));
        this.parts = List.copyOf(parts);
    }

    /** Starts an empty sum. */
    public static Builder builder() {
        return new Builder();
    }

    /** The parts, in order. */
    public List<Part> parts() {
        return parts;
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray total = null;
        List<NDArray> weighted = new ArrayList<>();
        List<EmbeddingLoss> evaluated = new ArrayList<>();
        for (Part part : parts) {
            EmbeddingLoss loss = part.loss();
            NDList partViews = new NDList(views.subList(0, loss.views()));
            NDArray raw = loss.evaluateValidated(partViews, loss.needsLabels() ? labels : null);
            // x * 1 is x, value and gradient: the multiply would only add engine calls (a ranking loss's part is weighted 1)
            NDArray value = part.weight() == 1 ? raw : Scalars.mul(raw, part.weight());
            weighted.add(value);
            evaluated.add(loss);
            total = total == null ? value : total.add(value);
        }
        report("total", total, Aggregate.BATCH);
        for (int i = 0; i < parts.size(); i++) {
            report(parts.get(i).loss().getName(), weighted.get(i), Aggregate.BATCH);
            reportPart(evaluated.get(i));
        }
        return total;
    }

    /** True when every part finds non-finite inputs itself (each part then checks the views it reads). */
    @Override
    protected boolean checksFinitenessOnHost() {
        return parts.stream().allMatch(p -> p.loss().checksFinitenessOnHost());
    }

    @Override
    public java.util.Optional<double[]> normalizedSingularValues(NDArray embeddings) {
        for (Part p : parts) {
            if (p.loss() instanceof BatchSpectrumSource source) {
                java.util.Optional<double[]> s = source.normalizedSingularValues(embeddings);
                if (s.isPresent()) {
                    return s;
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The parts with their weights and hyperparameters. */
    @Override
    public Map<String, Object> hyperparameters() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.loss().getName());
            m.put("type", p.loss().getClass().getSimpleName());
            m.put("weight", p.weight());
            m.put("hyperparameters", p.loss().hyperparameters());
            list.add(m);
        }
        return Map.of("parts", list);
    }

    /** Builds a {@link WeightedSumLoss}. */
    public static final class Builder {
        private final List<Part> parts = new ArrayList<>();
        private String name = "weighted-sum";

        /** Adds a part with its weight. */
        public Builder add(double weight, EmbeddingLoss loss) {
            parts.add(new Part(weight, loss));
            return this;
        }

        /** Names the sum (default "weighted-sum"). */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public WeightedSumLoss build() {
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a weighted sum needs at least one part");
            }
            return new WeightedSumLoss(name, parts);
        }
    }
}
