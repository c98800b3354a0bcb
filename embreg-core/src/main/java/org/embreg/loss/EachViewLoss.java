package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;
import java.util.Objects;

/**
 * A one-view loss applied to each of two views and averaged: (L(Z) + L(Z')) / 2, as VICReg
 * averages its two variance terms. Puts a one-view regularizer (SVMax, a VICReg term) into a
 * two-view objective. Reports {@code <name>.firstView} and {@code <name>.secondView}.
 */
public final class EachViewLoss extends EmbeddingLoss {
    private final EmbeddingLoss inner;

    /** @param inner a loss on one view */
    public EachViewLoss(EmbeddingLoss inner) {
        super(Objects.requireNonNull(inner, "inner").getName(), 2, inner.needsLabels());
        if (inner.views() != 1) {
            throw new IllegalArgumentException(inner.getName() + " takes " + inner.views() + " views; EachViewLoss wraps a one-view loss");
        }
        this.inner = inner;
    }

    public EmbeddingLoss inner() {
        return inner;
    }

    @Override
    public Map<String, Object> hyperparameters() {
        return Map.of("eachView", inner.getName(), "inner", inner.hyperparameters());
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray first = inner.evaluateValidated(new NDList(views.get(0)), labels);
        NDArray second = inner.evaluateValidated(new NDList(views.get(1)), labels);
        report(getName() + ".firstView", first, TermValue.Aggregate.BATCH);
        report(getName() + ".secondView", second, TermValue.Aggregate.BATCH);
        return Scalars.mul(first.add(second), 0.5);
    }
}
