package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.NonFiniteException;
import org.embreg.loss.TermValue.Aggregate;

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
 * that second call (the same embeddings and labels) reuses the first result, so an expensive term (an SVD) is paid once per step.
 *
 * <p>Terms: a loss reports named terms ({@link #lastTerms()}, each a mean, a sum or a batch
 * quantity) and counts ({@link #lastCounts()}) of its last evaluation. Terms computed on the
 * engine stay there until {@link #lastTerms()} is called, which reads all of them in one transfer;
 * call it before the step's manager is closed. A step that never asks pays nothing for them.
 *
 * <p>A loss object keeps the state of its last evaluation (the result and the terms), so it serves
 * one training thread on one device, as DJL's single-device {@code Trainer} uses it.
 *
 * <p>The result has the data type of the embeddings. A batch of fewer than 2 rows (the last,
 * short batch of an epoch) has nothing to learn from: the result is 0 with a zero gradient.
 */
public abstract class EmbeddingLoss extends Loss {
    private final int views;
    private final boolean needsLabels;
    private List<Pending> pending;
    private List<CountValue> pendingCounts;
    private List<Pending> lastPending = List.of();
    private List<CountValue> lastCounts = List.of();
    private List<TermValue> lastTerms;
    private NDArray lastFirstPrediction;
    private NDArray lastFirstLabel;
    private NDArray lastResult;

    /** A term as reported: on the engine (array) or on the host (value). */
    private record Pending(String name, NDArray array, double value, Aggregate aggregate) {}

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
     * The loss's hyperparameters by name, for provenance (for example margin, mining, lambda). The
     * default is none; losses with settings override it.
     */
    public Map<String, Object> hyperparameters() {
        return Map.of();
    }

    /**
     * Computes the loss. Arrays it creates live on the inputs' manager until the caller closes it
     * (after backward); do not close arrays that autograd may still read.
     *
     * @param views the validated embedding matrices, each b x d with the same b &gt;= 2, finite (unless
     *     {@link #checksFinitenessOnHost()}: then compute finds non-finite values itself)
     * @param labels the validated labels (1-D, length b), or null when the loss needs none
     * @return a scalar of the embeddings' data type
     */
    protected abstract NDArray compute(NDList views, NDArray labels);

    /** Records a term of the current evaluation, left on the engine until {@link #lastTerms()} reads it. */
    protected final void report(String term, NDArray scalar, Aggregate aggregate) {
        if (pending != null) {
            pending.add(new Pending(term, scalar, Double.NaN, aggregate));
        }
    }

    /** Records a term of the current evaluation computed on the host. */
    protected final void report(String term, double value, Aggregate aggregate) {
        if (pending != null) {
            pending.add(new Pending(term, null, value, aggregate));
        }
    }

    /** Records a count of the current evaluation (pairs, triplets), apart from the loss values. */
    protected final void reportCount(String name, long count) {
        if (pendingCounts != null) {
            pendingCounts.add(new CountValue(name, count));
        }
    }

    /** Adds the terms and counts of a part's last evaluation to the current one (for sums of losses). */
    final void reportPart(EmbeddingLoss part) {
        if (pending != null) {
            pending.addAll(part.lastPending);
            pendingCounts.addAll(part.lastCounts);
        }
    }

    /**
     * The terms reported by the last evaluation, in the order they were reported. Terms left on
     * the engine are read here, all in one transfer, the first time this is called for an
     * evaluation; call it before the manager of that evaluation's arrays is closed.
     *
     * @throws IllegalStateException if the terms' arrays were closed before they were read
     */
    public List<TermValue> lastTerms() {
        if (lastTerms == null) {
            lastTerms = materialize(lastPending);
        }
        return lastTerms;
    }

    /** The counts reported by the last evaluation, in the order they were reported. */
    public List<CountValue> lastCounts() {
        return lastCounts;
    }

    private List<TermValue> materialize(List<Pending> terms) {
        List<NDArray> arrays = new ArrayList<>();
        for (Pending p : terms) {
            if (p.array() != null) {
                if (p.array().isReleased()) {
                    throw new IllegalStateException(getName() + ": term " + p.name() + " was read after its array was closed; read "
                            + "lastTerms() before closing the manager of the step");
                }
                arrays.add(p.array());
            }
        }
        double[] read = Scalars.read(arrays);
        List<TermValue> out = new ArrayList<>(terms.size());
        int k = 0;
        for (Pending p : terms) {
            out.add(new TermValue(p.name(), p.array() != null ? read[k++] : p.value(), p.aggregate()));
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public final NDArray evaluate(NDList labels, NDList predictions) {
        if (predictions == null || predictions.isEmpty()) {
            throw new EmbregException(getName() + ": no embeddings were given");
        }
        NDArray first = predictions.get(0);
        NDArray firstLabel = labels == null || labels.isEmpty() ? null : labels.get(0);
        if (lastResult != null && first == lastFirstPrediction && firstLabel == lastFirstLabel && !lastResult.isReleased()) {
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
        if (!checksFinitenessOnHost() || reference.get(0) < 2) {
            // a batch of fewer than 2 rows never reaches compute, so nothing would check it there
            requireFinite(viewList);
        }
        NDArray result = reference.get(0) < 2 ? Scalars.mul(viewList.get(0).sum(), 0) : evaluateValidated(viewList, label);
        if (reference.get(0) < 2) {
            record(List.of(), List.of());
        }
        lastFirstPrediction = first;
        lastFirstLabel = firstLabel;
        lastResult = result;
        return result;
    }

    /**
     * Whether {@link #compute} reads on the host a quantity that is non-finite whenever an input
     * value is (and only then), and calls {@link #requireFinite} when it finds one, so that
     * {@code evaluate} need not check the inputs on the engine first. False unless overridden.
     */
    protected boolean checksFinitenessOnHost() {
        return false;
    }

    /**
     * Checks every value of the views on the engine.
     *
     * @throws NonFiniteException naming the first view that holds a NaN or an infinite value
     */
    protected final void requireFinite(NDList viewList) {
        for (int i = 0; i < viewList.size(); i++) {
            NDArray e = viewList.get(i);
            // max |e| is NaN if any entry is NaN (the maximum propagates NaN) and infinite if any is
            try (NDArray abs = e.abs(); NDArray max = abs.max()) {
                if (!Double.isFinite(max.toType(DataType.FLOAT64, false).getDouble())) {
                    throw new NonFiniteException(NonFiniteException.Source.INPUT, "view " + i + " of " + getName() + " (shape " + e.getShape() + ")");
                }
            }
        }
    }

    /** Computes on inputs already checked (by this loss or by a sum it is a part of), recording the terms. */
    final NDArray evaluateValidated(NDList viewList, NDArray label) {
        pending = new ArrayList<>();
        pendingCounts = new ArrayList<>();
        NDArray result;
        try {
            result = compute(viewList, label);
            record(pending, pendingCounts);
        } finally {
            pending = null;
            pendingCounts = null;
        }
        return result;
    }

    private void record(List<Pending> terms, List<CountValue> counts) {
        lastPending = List.copyOf(terms);
        lastCounts = List.copyOf(counts);
        lastTerms = null;
    }

    private Shape checkMatrix(NDArray e, String what) {
        Shape s = e.getShape();
        if (s.dimension() != 2) {
            throw new EmbregException(getName() + ": " + what + " must be a 2-D (rows x dim) matrix, got shape " + s);
        }
        if (s.get(0) < 1) {
            throw new EmbregException(getName() + ": " + what + " has no rows, shape " + s);
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
