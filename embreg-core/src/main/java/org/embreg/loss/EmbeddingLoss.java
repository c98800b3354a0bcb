package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.embreg.EmbregException;

/**
 * Base of every loss and regularizer on a batch of embeddings: a DJL {@link Loss} that drops into
 * {@code DefaultTrainingConfig}.
 *
 * <p>Predictions hold one embedding matrix (b x d) per view; labels, when the loss needs them, hold
 * one 1-D integer array of length b. The final {@link #evaluate} checks shapes and finiteness, calls
 * {@link #compute} and returns the scalar result. Subclasses write the maths and report their terms
 * with {@link #report}.
 *
 * <p>Memory: temporaries live on the embeddings' manager, which the caller closes after the
 * backward pass (as DJL's own losses do). They must not be freed earlier: DJL's PyTorch engine
 * makes arrays from Java values (every scalar in {@code x.mul(2)}, every index array) by borrowing
 * a direct buffer that is released when the array is closed, while autograd keeps those tensors
 * for the backward pass. A temporary scope closed inside {@code evaluate} therefore hands backward
 * freed memory and garbage gradients; {@code EmbeddingLossContract} guards against it.
 *
 * <p>DJL evaluates the training loss a second time for its accumulators with the very same arrays;
 * that second call reuses the first result, so an expensive term (an SVD) is paid once per step.
 */
public abstract class EmbeddingLoss extends Loss {
    private final int views;
    private final boolean needsLabels;
    private List<TermValue> lastTerms = List.of();
    private List<TermValue> pendingTerms;
    private NDArray lastFirstPrediction;
    private NDArray lastResult;

    /**
     * @param name the loss name DJL shows in its logs
     * @param views how many embedding matrices the predictions hold (1 or 2)
     * @param needsLabels whether labels are required
     */
    protected EmbeddingLoss(String name, int views, boolean needsLabels) {
        super(name);
        this.views = views;
        this.needsLabels = needsLabels;
    }

    /** How many embedding matrices (views) the predictions must hold. */
    public int views() {
        return views;
    }

    /** Whether this loss reads labels. */
    public boolean needsLabels() {
        return needsLabels;
    }

    /**
     * Computes the loss. Arrays it creates live on the inputs' manager until the caller closes it
     * (after backward); do not close arrays that autograd may still read.
     *
     * @param views the validated embedding matrices, each b x d with the same b
     * @param labels the validated labels (1-D, length b), or null when the loss needs none
     * @return a scalar
     */
    protected abstract NDArray compute(NDList views, NDArray labels);

    /** Records a term of the current evaluation for {@link #lastTerms()}. */
    protected final void report(String term, NDArray scalar) {
        report(term, scalar.toType(DataType.FLOAT64, false).getDouble());
    }

    /** Records a term of the current evaluation for {@link #lastTerms()}. */
    protected final void report(String term, double value) {
        if (pendingTerms != null) {
            pendingTerms.add(new TermValue(term, value));
        }
    }

    /** The terms reported by the last evaluation, in the order they were reported. */
    public List<TermValue> lastTerms() {
        return lastTerms;
    }

    @Override
    public final NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions == null || predictions.isEmpty()) {
            throw new EmbregException(getName() + ": no embeddings were given");
        }
        NDArray first = predictions.get(0);
        if (lastResult != null && first == lastFirstPrediction && !lastResult.isReleased()) {
            return lastResult;
        }
        NDList viewList = new NDList(views);
        for (int i = 0; i < views; i++) {
            if (predictions.size() <= i) {
                throw new EmbregException(getName() + " needs " + views + " embedding views but got " + predictions.size());
            }
            viewList.add(predictions.get(i));
        }
        Shape reference = checkMatrix(viewList.get(0), "view 0");
        for (int i = 1; i < views; i++) {
            Shape s = checkMatrix(viewList.get(i), "view " + i);
            if (!s.equals(reference)) {
                throw new EmbregException(getName() + ": view " + i + " has shape " + s + " but view 0 has shape " + reference);
            }
        }
        NDArray label = null;
        if (needsLabels) {
            if (labels == null || labels.isEmpty()) {
                throw new EmbregException(getName() + " needs labels but none were given");
            }
            label = labels.get(0);
            Shape ls = label.getShape();
            long rows = reference.get(0);
            if (!(ls.dimension() == 1 && ls.get(0) == rows) && !(ls.dimension() == 2 && ls.get(0) == rows && ls.get(1) == 1)) {
                throw new EmbregException(getName() + ": labels have shape " + ls + " but the embeddings have " + rows + " rows");
            }
            if (ls.dimension() == 2) {
                label = label.reshape(rows);
            }
        }
        for (int i = 0; i < views; i++) {
            NDArray e = viewList.get(i);
            // max |e| is NaN if any entry is NaN (the maximum propagates NaN) and infinite if any is
            try (NDArray abs = e.abs(); NDArray max = abs.max()) {
                if (!Double.isFinite(max.toType(DataType.FLOAT64, false).getDouble())) {
                    throw new EmbregException(getName() + ": view " + i + " (shape " + e.getShape() + ") contains NaN or Inf values");
                }
            }
        }
        pendingTerms = new ArrayList<>();
        NDArray result = compute(viewList, label);
        lastTerms = Collections.unmodifiableList(pendingTerms);
        pendingTerms = null;
        lastFirstPrediction = first;
        lastResult = result;
        return result;
    }

    private Shape checkMatrix(NDArray e, String what) {
        Shape s = e.getShape();
        if (s.dimension() != 2) {
            throw new EmbregException(getName() + ": " + what + " must be a 2-D (rows x dim) matrix, got shape " + s);
        }
        if (s.get(0) < 2) {
            throw new EmbregException(getName() + ": " + what + " has " + s.get(0) + " row(s); a batch needs at least 2, got shape " + s);
        }
        if (s.get(1) < 1) {
            throw new EmbregException(getName() + ": " + what + " has no columns, shape " + s);
        }
        DataType t = e.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT64 && t != DataType.FLOAT16 && t != DataType.BFLOAT16) {
            throw new EmbregException(getName() + ": " + what + " must be floating point, got " + t);
        }
        return s;
    }
}
