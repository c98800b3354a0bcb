package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * A weighted sum of embedding losses, evaluated on the same batch: for example a contrastive loss
 * plus an SVMax regularizer. Reports each part as {@code <part name>} (weighted) followed by the
 * part's own terms, and the total as {@code total}.
 */
public final class WeightedSumLoss extends EmbeddingLoss {
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
        NDList labelList = labels == null ? new NDList() : new NDList(labels);
        for (Part part : parts) {
            NDArray value = Scalars.mul(part.loss().evaluate(labelList, views), part.weight());
            report(part.loss().getName(), value);
            for (TermValue t : part.loss().lastTerms()) {
                report(t.name(), t.value());
            }
            total = total == null ? value : total.add(value);
        }
        report("total", total);
        return total;
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
