package org.embreg.metric;

/**
 * Precision@1, mean reciprocal rank and mean average precision as pytorch-metric-learning's AccuracyCalculator
 * defines them when the embeddings are their own references: each row is a query against all others, queries whose
 * class has no other row are left out (Recall@K keeps the paper's definition, where such a query counts as a miss),
 * and the ranked list is as deep as the largest class (at most N - 1).
 * <ul>
 *   <li>precision@1: the share of queries whose nearest row has their label;
 *   <li>mean reciprocal rank: 1 / the rank of the first row with the query's label in the list, 0 if none;
 *   <li>mean average precision: the mean of precision@i over the ranks i that hold the query's label, over the
 *       list (0 if none), unlike MAP@R which divides by R and stops at R.
 * </ul>
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
     * @param precisionAt1 precision@1
     * @param meanReciprocalRank mean reciprocal rank
     * @param meanAveragePrecision mean average precision over the list
     * @param queries queries counted (rows whose class has another row)
     */
    public record Result(double precisionAt1, double meanReciprocalRank, double meanAveragePrecision, int queries) {}

    /** How deep the ranked list goes: the largest class's size, at most N - 1. */
    public static int depth(int[] labels) {
        return RetrievalTally.depth(MapAtR.largestR(labels) + 1, labels.length);
    }

    /**
     * The three metrics from a neighbour search already made ({@link RecallAtK#nearest} with k at least
     * {@link #depth}).
     *
     * @param nearest N x k indices, nearest first
     */
    public static Result fromNeighbours(int[] nearest, int k, int[] labels) {
        int depth = depth(labels);
        if (depth > k) {
            throw new IllegalArgumentException("a neighbour search of k = " + k + " is shorter than the ranked list (" + depth + ")");
        }
        return RetrievalTally.of(nearest, k, labels, new int[0], depth).ranking();
    }
}
