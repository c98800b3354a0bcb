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
        java.util.Map<Integer, Integer> sizes = new java.util.HashMap<>();
        for (int y : labels) {
            sizes.merge(y, 1, Integer::sum);
        }
        int maxR = 0;
        for (int s : sizes.values()) {
            maxR = Math.max(maxR, s - 1);
        }
        return maxR;
    }

    /**
     * Both metrics from a neighbour search already made ({@link RecallAtK#nearest} with k at least {@link #largestR}).
     *
     * @param nearest N x k indices, nearest first
     */
    public static Result fromNeighbours(int[] nearest, int k, int[] labels) {
        int n = labels.length;
        java.util.Map<Integer, Integer> sizes = new java.util.HashMap<>();
        for (int y : labels) {
            sizes.merge(y, 1, Integer::sum);
        }
        ExactSum map = new ExactSum();
        ExactSum rp = new ExactSum();
        int queries = 0;
        for (int i = 0; i < n; i++) {
            int r = sizes.get(labels[i]) - 1;
            if (r == 0) {
                continue;
            }
            if (r > k) {
                throw new IllegalArgumentException("a neighbour search of k = " + k + " cannot give MAP@R for a class of " + (r + 1));
            }
            queries++;
            int hits = 0;
            double ap = 0;
            for (int j = 0; j < r; j++) {
                if (labels[nearest[i * k + j]] == labels[i]) {
                    hits++;
                    ap += (double) hits / (j + 1);
                }
            }
            map.add(ap / r);
            rp.add((double) hits / r);
        }
        return queries == 0 ? new Result(0, 0, 0) : new Result(map.value() / queries, rp.value() / queries, queries);
    }
}
