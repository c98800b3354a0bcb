package org.embreg.metric;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;

/**
 * Recall@K, MAP@R, R-precision, precision@1, mean reciprocal rank and mean average precision from one neighbour
 * search, k = max(K, the largest class's size), as on a cluster ({@code SparkRetrieval}): the exact ranking of
 * {@link RecallAtK#nearest} (ties by index) makes the first K of a longer search the same as a search of K.
 */
public final class NeighbourMetrics {
    private NeighbourMetrics() {}

    /**
     * @param recallAt Recall@K in the order of the K asked
     * @param map MAP@R and R-precision
     * @param ranking precision@1, mean reciprocal rank, mean average precision
     */
    public record Result(double[] recallAt, MapAtR.Result map, RankingMetrics.Result ranking) {}

    /**
     * @param m N x d rows (as ranked: normalize them first for cosine ranking)
     * @param ks the K values, each in [1, N - 1]
     */
    public static Result compute(NDManager manager, Matrix m, int[] labels, int[] ks) {
        int depth = RankingMetrics.depth(labels);
        int k = Math.max(RecallAtK.checkKs(m.rows(), labels, ks), depth);
        int[] nearest = RecallAtK.nearestByLabel(manager, m, labels, k);
        RetrievalTally tally = RetrievalTally.of(nearest, k, labels, ks, depth);
        return new Result(tally.recallAt(), tally.map(), tally.ranking());
    }
}
