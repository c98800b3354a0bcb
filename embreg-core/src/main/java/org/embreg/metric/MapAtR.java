package org.embreg.metric;

import ai.djl.ndarray.NDManager;
import org.embreg.data.Matrix;

/**
 * MAP@R and R-precision as pytorch-metric-learning defines them (Musgrave et al. 2020), by
 * Euclidean distance, every row a query against all others: with R the number of other rows of the
 * query's label, R-precision is the share of same-label rows among the R nearest, and MAP@R is
 * (1/R) sum_{i=1..R} P(i) rel(i), P(i) the precision among the i nearest and rel(i) whether the
 * i-th nearest has the query's label. Queries whose label has no other row are left out.
 */
public final class MapAtR {
    private MapAtR() {}

    /**
     * Both metrics.
     *
     * @param mapAtR MAP@R
     * @param rPrecision R-precision
     * @param queries how many queries counted
     */
    public record Result(double mapAtR, double rPrecision, int queries) {}

    public static Result compute(NDManager manager, Matrix m, int[] labels) {
        int n = m.rows();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " embeddings but " + labels.length + " labels");
        }
        int maxR = largestR(labels);
        return maxR == 0 ? new Result(0, 0, 0) : fromNeighbours(RecallAtK.nearestByLabel(manager, m, labels, maxR), maxR, labels);
    }

    /** The largest R: the size of the largest class less one. */
    public static int largestR(int[] labels) {
        return (int) RetrievalTally.classSizes(labels).values().stream().mapToLong(Long::longValue).max().orElse(1) - 1;
    }

    /**
     * Both metrics from a neighbour search already made ({@link RecallAtK#nearest} with k at least {@link #largestR}).
     *
     * @param nearest N x k indices, nearest first
     */
    public static Result fromNeighbours(int[] nearest, int k, int[] labels) {
        int maxR = largestR(labels);
        if (maxR > k) {
            throw new IllegalArgumentException("a neighbour search of k = " + k + " cannot give MAP@R for a class of " + (maxR + 1));
        }
        return RetrievalTally.of(nearest, k, labels, new int[0], 0).map();
    }
}
