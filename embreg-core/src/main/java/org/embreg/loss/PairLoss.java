package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Base of the ranking losses on L2-normalized embeddings (pytorch-metric-learning's
 * GenericPairLoss): normalizes the rows and builds the Euclidean distance matrix once, then hands a
 * {@link Batch} to {@link #loss}. Concrete losses select pairs or triplets from the labels and the
 * distances on the host, and gather what they need on the graph.
 */
public abstract class PairLoss extends EmbeddingLoss {
    /**
     * One batch as the ranking losses see it.
     *
     * @param normalized b x d, unit rows, on the graph
     * @param distances b x b Euclidean distances of the normalized rows, on the graph
     * @param labels the b labels
     */
    protected record Batch(NDArray normalized, NDArray distances, int[] labels) {
        public int size() {
            return labels.length;
        }

        /** The distances on the host, row-major b x b. */
        public double[] hostDistances() {
            return distances.toType(DataType.FLOAT64, false).toDoubleArray();
        }

        /** A b x b 0/1 mask of the embeddings' type: entry (i, j) is 1 where the predicate holds. */
        public NDArray mask(PairPredicate p) {
            int b = size();
            float[] m = new float[b * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    m[i * b + j] = p.test(i, j, labels[i] == labels[j]) ? 1f : 0f;
                }
            }
            NDManager manager = distances.getManager();
            return manager.create(m, new Shape(b, b)).toType(distances.getDataType(), false);
        }

        /** Entries (first[k], second[k]) of a b x b matrix on the graph, as a 1-D array. */
        public NDArray gather(NDArray matrix, int[] first, int[] second) {
            return gatherSquare(matrix, first, second);
        }

        /** Entries (first[k], second[k]) of any square matrix on the graph, as a 1-D array. */
        static NDArray gatherSquare(NDArray matrix, int[] first, int[] second) {
            NDManager m = matrix.getManager();
            if (first.length == 0) {
                return m.zeros(new Shape(0), matrix.getDataType());
            }
            long n = matrix.getShape().get(1);
            long[] idx = new long[first.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = first[i] * n + second[i];
            }
            return matrix.flatten().take(m.create(idx));
        }
    }

    /** A condition on a pair of rows. */
    @FunctionalInterface
    protected interface PairPredicate {
        boolean test(int i, int j, boolean sameLabel);
    }

    protected PairLoss(String name) {
        super(name, 1, true);
    }

    /** The loss of a batch; 0 with a zero gradient when the batch has nothing to learn from. */
    protected abstract NDArray loss(Batch batch);

    @Override
    protected final NDArray compute(NDList views, NDArray labels) {
        NDArray x = Embeddings.l2NormalizeRows(views.get(0));
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        NDArray dist = Embeddings.distancesFromSquared(Embeddings.squaredDistances(x));
        return loss(new Batch(x, dist, y));
    }

    /** Sum of an array, or zero for an empty one, as a scalar of the given array's type. */
    protected static NDArray sumOrZero(NDArray a) {
        return a.getShape().size() == 0 ? a.getManager().zeros(new Shape(), a.getDataType()) : a.sum();
    }

    /** A zero of the batch's type that still depends on the embeddings (so backward gives zeros). */
    protected static NDArray zero(Batch batch) {
        return Scalars.mul(batch.normalized().sum(), 0);
    }
}
