package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import org.embreg.NonFiniteException;
import java.nio.ByteOrder;

/**
 * Base of the ranking losses on L2-normalized embeddings (pytorch-metric-learning's
 * GenericPairLoss). Every such loss is a function of the Gram matrix S = X X^T of the normalized
 * rows X (distances included: D_ij^2 = S_ii + S_jj - 2 S_ij), so the engine computes X and S, one
 * transfer brings S to the host, and the loss computes its value L and its exact gradient with
 * respect to S (and D) there, in double, on a {@link Batch} of host arrays. The engine then forms
 * dL/dX = (dL/dS + dL/dS^T) X off the graph, and the result enters the graph as
 * {@code L + (a - stopGradient(a))} with {@code a = sum(X * stopGradient(dL/dX))}: its value is L and
 * its gradient is dL/dX pushed through the normalization by the engine's backward pass. A step
 * costs about fifteen engine calls and two matrix products, whatever the loss, instead of one or
 * more calls per operation of its formula (and the backward pass through each).
 *
 * <p>Distances: the Gram form rounds badly for near-duplicate rows (|x_i - x_j|^2 at or below
 * 1e-3 (float32) or 1e-8 (float64) times |x_i|^2 + |x_j|^2); those pairs are measured by their
 * differences on a host copy of X, and their gradient g (x_i - x_j) / D_ij is added to dL/dX
 * directly. Squared distances below 1e-16 count as 1e-16 with a zero gradient, so identical rows
 * give a finite (zero) gradient instead of NaN. Half-precision embeddings are normalized and
 * multiplied in float32. Non-finite inputs are found on the host, in the diagonal of S.
 */
public abstract class PairLoss extends EmbeddingLoss {
    /** Squared distances below this count as this, with a zero gradient. */
    static final double MIN_SQUARED_DISTANCE = 1e-16;

    /**
     * One batch as the ranking losses see it, on the host: the labels, the similarities S_ij =
     * x_i . x_j and distances D_ij = |x_i - x_j| of the normalized rows, and the gradient the loss
     * accumulates with respect to them.
     */
    protected static final class Batch {
        private final int b;
        private final int[] labels;
        private final double[] similarities;
        private final double tolerance;
        private final NDArray normalized;
        /** dL/dS + (dL/dS)^T, row-major b x b: the factor of X in dL/dX. */
        private final double[] symmetricGradient;
        private double[] distanceGradient;
        private double[] rows;

        Batch(NDArray normalized, double[] similarities, int[] labels, double tolerance) {
            this.normalized = normalized;
            this.similarities = similarities;
            this.labels = labels;
            this.b = labels.length;
            this.tolerance = tolerance;
            this.symmetricGradient = new double[b * b];
        }

        /** The b labels. */
        public int[] labels() {
            return labels;
        }

        public int size() {
            return b;
        }

        /** x_i . x_j of the normalized rows. */
        public double similarity(int i, int j) {
            return similarities[i * b + j];
        }

        /** |x_i - x_j| of the normalized rows, at least 1e-8 (so 1e-8 for i = j). */
        public double distance(int i, int j) {
            return Math.sqrt(Math.max(squaredDistance(i, j), MIN_SQUARED_DISTANCE));
        }

        /** All distances, row-major b x b (see {@link #distance}). */
        public double[] distances() {
            double[] d = new double[b * b];
            for (int i = 0; i < b; i++) {
                d[i * b + i] = distance(i, i);
                for (int j = i + 1; j < b; j++) {
                    d[i * b + j] = distance(i, j);
                    d[j * b + i] = d[i * b + j];
                }
            }
            return d;
        }

        /** Adds g to dL/dS_ij. */
        public void addSimilarityGradient(int i, int j, double g) {
            symmetricGradient[i * b + j] += g;
            symmetricGradient[j * b + i] += g;
        }

        /** Adds g to dL/dD_ij. */
        public void addDistanceGradient(int i, int j, double g) {
            if (distanceGradient == null) {
                distanceGradient = new double[b * b];
            }
            distanceGradient[i * b + j] += g;
        }

        /** The squared distance from the Gram form, or from the differences where that would round badly. */
        private double squaredDistance(int i, int j) {
            if (i == j) {
                return 0;
            }
            double si = similarities[i * b + i];
            double sj = similarities[j * b + j];
            double squared = Math.max(0, si + sj - 2 * similarities[i * b + j]);
            return squared <= tolerance * (si + sj) ? exactSquaredDistance(i, j) : squared;
        }

        private boolean near(int i, int j) {
            double si = similarities[i * b + i];
            double sj = similarities[j * b + j];
            return si + sj - 2 * similarities[i * b + j] <= tolerance * (si + sj);
        }

        private double exactSquaredDistance(int i, int j) {
            double[] x = rows();
            int dim = x.length / b;
            double s = 0;
            for (int k = 0; k < dim; k++) {
                double t = x[i * dim + k] - x[j * dim + k];
                s += t * t;
            }
            return s;
        }

        private double[] rows() {
            if (rows == null) {
                rows = hostValues(normalized);
            }
            return rows;
        }

        /**
         * Folds dL/dD into dL/dS (pairs measured by the Gram form) and into a host b x dim gradient
         * with respect to X (pairs measured by their differences); null when there are none of the latter.
         */
        double[] foldDistanceGradient() {
            if (distanceGradient == null) {
                return null;
            }
            double[] direct = null;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double g = distanceGradient[i * b + j];
                    if (g == 0 || i == j) {
                        continue;
                    }
                    double squared = squaredDistance(i, j);
                    if (squared < MIN_SQUARED_DISTANCE) {
                        continue;
                    }
                    double d = Math.sqrt(squared);
                    if (near(i, j)) {
                        double[] x = rows();
                        int dim = x.length / b;
                        direct = direct == null ? new double[x.length] : direct;
                        double c = g / d;
                        for (int k = 0; k < dim; k++) {
                            double t = c * (x[i * dim + k] - x[j * dim + k]);
                            direct[i * dim + k] += t;
                            direct[j * dim + k] -= t;
                        }
                    } else {
                        // D = sqrt(S_ii + S_jj - 2 S_ij)
                        addSimilarityGradient(i, j, -g / d);
                        addSimilarityGradient(i, i, g / (2 * d));
                        addSimilarityGradient(j, j, g / (2 * d));
                    }
                }
            }
            return direct;
        }
    }

    protected PairLoss(String name) {
        super(name, 1, true);
    }

    /**
     * The loss of a batch, with its gradient added to the batch ({@link Batch#addSimilarityGradient},
     * {@link Batch#addDistanceGradient}); 0 with no gradient when the batch has nothing to learn from.
     */
    protected abstract double loss(Batch batch);

    @Override
    protected final boolean checksFinitenessOnHost() {
        return true;
    }

    @Override
    protected final NDArray compute(NDList views, NDArray labels) {
        NDArray e = views.get(0);
        DataType type = e.getDataType();
        boolean half = type != DataType.FLOAT32 && type != DataType.FLOAT64;
        NDArray x = Embeddings.l2NormalizeRows(half ? e.toType(DataType.FLOAT32, false) : e);
        // the products are constants of the graph: the gradient enters through x * stopGradient(dL/dX)
        NDArray fixed = x.stopGradient();
        NDArray s = fixed.matMul(fixed.transpose());
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        double tolerance = x.getDataType() == DataType.FLOAT64 ? 1e-8 : 1e-3;
        double[] similarities = hostValues(s);
        for (int i = 0; i < y.length; i++) {
            // |x_i|^2 is NaN when row i holds a NaN or an infinity (normalized, inf / inf)
            if (!Double.isFinite(similarities[i * y.length + i])) {
                requireFinite(views);
                throw new NonFiniteException(NonFiniteException.Source.INPUT, "row " + i + " of " + getName() + "'s normalized embeddings");
            }
        }
        Batch batch = new Batch(fixed, similarities, y, tolerance);
        double value = loss(batch);
        double[] direct = batch.foldDistanceGradient();
        int b = y.length;
        // dL/dX = (dL/dS + (dL/dS)^T) X, plus the pairs measured by their differences
        NDArray gradient = hostMatrix(x, batch.symmetricGradient, new Shape(b, b)).matMul(fixed);
        if (direct != null) {
            gradient = gradient.add(hostMatrix(x, direct, x.getShape()));
        }
        NDArray a = x.mul(gradient).sum();
        NDArray result = Scalars.add(a.sub(a.stopGradient()), value);
        return half ? result.toType(type, false) : result;
    }

    private static NDArray hostMatrix(NDArray like, double[] values, Shape shape) {
        if (like.getDataType() == DataType.FLOAT64) {
            return like.getManager().create(values, shape);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return like.getManager().create(f, shape);
    }

    /** The values of a float32 or float64 array, as doubles, read where the engine keeps them. */
    static double[] hostValues(NDArray a) {
        ByteBuffer buffer = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
        double[] out = new double[Math.toIntExact(a.size())];
        if (a.getDataType() == DataType.FLOAT64) {
            buffer.asDoubleBuffer().get(out);
            return out;
        }
        float[] f = new float[out.length];
        buffer.asFloatBuffer().get(f);
        for (int i = 0; i < out.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
