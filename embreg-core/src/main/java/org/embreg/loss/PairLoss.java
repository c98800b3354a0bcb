package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Base of the losses on pairs of L2-normalized embeddings (pytorch-metric-learning's
 * GenericPairLoss): builds the distance matrix once, selects pairs from the labels on the host and
 * hands the distances of the positive and negative pairs to {@link #pairLoss}.
 */
public abstract class PairLoss extends EmbeddingLoss {
    /** How pairs are chosen from a batch. */
    public enum Pairing {
        /** The SVMax paper's equal numbers of positive and negative pairs; see {@link PairSelection#balanced}. */
        BALANCED,
        /** Every pair in the batch. */
        ALL;

        PairSelection select(int[] labels) {
            return this == BALANCED ? PairSelection.balanced(labels) : PairSelection.all(labels);
        }
    }

    private final Pairing pairing;

    protected PairLoss(String name, Pairing pairing) {
        super(name, 1, true);
        this.pairing = pairing;
    }

    /**
     * The loss from the distances of the selected pairs.
     *
     * @param positive distances of positive pairs (1-D, possibly empty)
     * @param negative distances of negative pairs (1-D, possibly empty)
     * @return a scalar
     */
    protected abstract NDArray pairLoss(NDArray positive, NDArray negative);

    @Override
    protected final NDArray compute(NDList views, NDArray labels) {
        NDArray x = Embeddings.l2NormalizeRows(views.get(0));
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        PairSelection pairs = pairing.select(y);
        report(getName() + ".positivePairs", pairs.positives());
        report(getName() + ".negativePairs", pairs.negatives());
        NDArray dist = Embeddings.distancesFromSquared(Embeddings.squaredDistances(x)).flatten();
        int b = y.length;
        NDArray pos = gather(dist, pairs.positiveFirst(), pairs.positiveSecond(), b);
        NDArray neg = gather(dist, pairs.negativeFirst(), pairs.negativeSecond(), b);
        return pairLoss(pos, neg);
    }

    private static NDArray gather(NDArray flatDist, int[] first, int[] second, int b) {
        NDManager m = flatDist.getManager();
        if (first.length == 0) {
            return m.zeros(new Shape(0), flatDist.getDataType());
        }
        long[] idx = new long[first.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = (long) first[i] * b + second[i];
        }
        return flatDist.take(m.create(idx));
    }

    /** Sum of an array, or zero for an empty one, as a scalar of the given array's type. */
    protected static NDArray sumOrZero(NDArray a) {
        return a.getShape().size() == 0 ? a.getManager().zeros(new Shape(), a.getDataType()) : a.sum();
    }
}
