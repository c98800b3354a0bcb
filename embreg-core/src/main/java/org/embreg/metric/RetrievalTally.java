package org.embreg.metric;

import java.util.HashMap;
import java.util.Map;

/**
 * The retrieval metrics' running sums, one query at a time, each query given as the labels of its nearest other rows,
 * best first: Recall@K ({@link RecallAtK}), MAP@R and R-precision ({@link MapAtR}), precision@1, mean reciprocal rank
 * and mean average precision ({@link RankingMetrics}). The one definition of each, whether the lists come from one
 * machine's search or from a cluster's; means are summed exactly ({@link ExactSum}), so the order of the queries does
 * not matter.
 */
public final class RetrievalTally {
    private final int[] ks;
    private final int depth;
    private final long[] hits;
    private final ExactSum apAtR = new ExactSum();
    private final ExactSum rPrecision = new ExactSum();
    private final ExactSum precisionAt1 = new ExactSum();
    private final ExactSum reciprocalRank = new ExactSum();
    private final ExactSum averagePrecision = new ExactSum();
    private long queries;
    private long ranked;

    /**
     * @param ks the K of Recall@K
     * @param depth how deep the ranking metrics' list goes ({@link #depth(long, long)})
     */
    public RetrievalTally(int[] ks, int depth) {
        this.ks = ks.clone();
        this.depth = depth;
        this.hits = new long[ks.length];
    }

    /** The ranking metrics' list depth: the largest class's size, at most rows - 1 (pytorch-metric-learning's k). */
    public static int depth(long largestClass, long rows) {
        return (int) Math.min(largestClass, rows - 1);
    }

    /** The neighbours a search must return for every metric: max(K, depth). */
    public int searchLength() {
        int k = depth;
        for (int v : ks) {
            k = Math.max(k, v);
        }
        return k;
    }

    /**
     * Counts one query.
     *
     * @param label its label
     * @param classSize the rows with its label, itself included
     * @param rankedLabels the labels of its nearest other rows, best first, from {@code offset}
     * @param available how many: at least {@link #searchLength()}, or every other row
     */
    public void add(int label, long classSize, int[] rankedLabels, int offset, int available) {
        queries++;
        for (int i = 0; i < ks.length; i++) {
            for (int j = 0; j < Math.min(ks[i], available); j++) {
                if (rankedLabels[offset + j] == label) {
                    hits[i]++;
                    break;
                }
            }
        }
        long r = classSize - 1;
        if (r == 0) {
            return;
        }
        ranked++;
        int relevant = 0;
        double precisions = 0;
        for (int j = 0; j < Math.min(r, available); j++) {
            if (rankedLabels[offset + j] == label) {
                relevant++;
                precisions += (double) relevant / (j + 1);
            }
        }
        apAtR.add(precisions / r);
        rPrecision.add((double) relevant / r);
        relevant = 0;
        precisions = 0;
        for (int j = 0; j < Math.min(depth, available); j++) {
            if (rankedLabels[offset + j] == label) {
                relevant++;
                precisions += (double) relevant / (j + 1);
                if (relevant == 1) {
                    reciprocalRank.add(1.0 / (j + 1));
                    precisionAt1.add(j == 0 ? 1 : 0);
                }
            }
        }
        if (relevant > 0) {
            averagePrecision.add(precisions / relevant);
        }
    }

    /** Queries counted. */
    public long queries() {
        return queries;
    }

    /** Recall@K for each K, over every query (a query whose class has no other row counts as a miss). */
    public double[] recallAt() {
        double[] out = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            out[i] = queries == 0 ? 0 : (double) hits[i] / queries;
        }
        return out;
    }

    /** MAP@R and R-precision over the queries whose class has another row. */
    public MapAtR.Result map() {
        return ranked == 0 ? new MapAtR.Result(0, 0, 0) : new MapAtR.Result(apAtR.value() / ranked, rPrecision.value() / ranked, Math.toIntExact(ranked));
    }

    /** Precision@1, mean reciprocal rank and mean average precision over the queries whose class has another row. */
    public RankingMetrics.Result ranking() {
        return ranked == 0 ? new RankingMetrics.Result(0, 0, 0, 0)
                : new RankingMetrics.Result(precisionAt1.value() / ranked, reciprocalRank.value() / ranked, averagePrecision.value() / ranked,
                        Math.toIntExact(ranked));
    }

    /** The class sizes of a label array. */
    public static Map<Integer, Long> classSizes(int[] labels) {
        Map<Integer, Long> sizes = new HashMap<>();
        for (int y : labels) {
            sizes.merge(y, 1L, Long::sum);
        }
        return sizes;
    }

    /**
     * Every row a query, from a neighbour search already made.
     *
     * @param nearest N x k indices, nearest first
     * @param depth the ranking metrics' list depth, at most k
     */
    public static RetrievalTally of(int[] nearest, int k, int[] labels, int[] ks, int depth) {
        Map<Integer, Long> sizes = classSizes(labels);
        RetrievalTally tally = new RetrievalTally(ks, depth);
        int[] ranked = new int[k];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < k; j++) {
                ranked[j] = labels[nearest[i * k + j]];
            }
            tally.add(labels[i], sizes.get(labels[i]), ranked, 0, k);
        }
        return tally;
    }
}
