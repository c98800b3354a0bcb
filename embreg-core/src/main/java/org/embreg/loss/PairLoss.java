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
     * One batch as the ranking losses see it: the normalized rows on the graph, the labels, and the
     * distance matrix, built on first use (losses that need none, such as N-pair, pay nothing for
     * it).
     */
    protected static final class Batch {
        private final NDArray normalized;
        private final int[] labels;
        private NDArray distances;
        private double[] hostSquared;

        Batch(NDArray normalized, int[] labels) {
            this.normalized = normalized;
            this.labels = labels;
        }

        /** b x d, unit rows, on the graph. */
        public NDArray normalized() {
            return normalized;
        }

        /** The b labels. */
        public int[] labels() {
            return labels;
        }

        public int size() {
            return labels.length;
        }

        /** The manager of the batch's arrays. */
        public NDManager manager() {
            return normalized.getManager();
        }

        /**
         * b x b Euclidean distances of the normalized rows, on the graph; see
         * {@link Embeddings#squaredDistancesWithHostCopy(NDArray)} for how they are computed.
         */
        public NDArray distances() {
            if (distances == null) {
                Embeddings.SquaredDistances squared = Embeddings.squaredDistancesWithHostCopy(normalized);
                distances = Embeddings.distancesFromSquared(squared.values());
                hostSquared = squared.host();
            }
            return distances;
        }

        /** The same distances on the host, row-major b x b (the very values of {@link #distances()}). */
        public double[] hostDistances() {
            distances();
            double[] d = new double[hostSquared.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = Math.sqrt(Math.max(hostSquared[i], Embeddings.MIN_SQUARED_DISTANCE));
            }
            return d;
        }

        /** A b x b 0/1 mask of the embeddings' type: entry (i, j) is 1 where the predicate holds. */
        public NDArray mask(PairPredicate p) {
            int b = size();
            double[] m = new double[b * b];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    m[i * b + j] = p.test(i, j, labels[i] == labels[j]) ? 1 : 0;
                }
            }
            return matrix(m);
        }

        /**
         * A b x b matrix of the embeddings' type counting the pairs: entry (i, j) is the number of k
         * with (first[k], second[k]) = (i, j). {@code sum(counts * f(D))} is the sum of f over the
         * pairs, with an elementwise backward.
         */
        public NDArray pairCounts(int[] first, int[] second) {
            int b = size();
            double[] m = new double[b * b];
            for (int k = 0; k < first.length; k++) {
                m[first[k] * b + second[k]] += 1;
            }
            return matrix(m);
        }

        /** A b x b matrix of the embeddings' type from host values, row-major (weights, masks). */
        public NDArray matrix(double[] values) {
            int b = size();
            if (values.length != b * b) {
                throw new IllegalArgumentException("a " + b + " x " + b + " matrix needs " + b * b + " values, got " + values.length);
            }
            return manager().create(values, new Shape(b, b)).toType(normalized.getDataType(), false);
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
        return loss(new Batch(x, y));
    }

    /** A zero of the batch's type that still depends on the embeddings (so backward gives zeros). */
    protected static NDArray zero(Batch batch) {
        return Scalars.mul(batch.normalized().sum(), 0);
    }
}
