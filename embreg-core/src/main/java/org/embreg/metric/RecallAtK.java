package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.embreg.data.Matrix;

/**
 * Exact Recall@K by Euclidean distance: the share of queries with at least one same-label
 * neighbour among their K nearest, the query itself excluded (equal distances broken by the lower
 * row index). Every row
 * is a query against all others. The distances are computed by the engine in tiles, so memory is
 * O(tile^2 + N k), never N x N.
 */
public final class RecallAtK {
    private RecallAtK() {}

    /** The paper's K values. */
    public static final java.util.List<Integer> PAPER_KS = java.util.List.of(1, 2, 4, 8);

    /** {@link #PAPER_KS} as a new array. */
    public static int[] paperKs() {
        return PAPER_KS.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param manager an engine manager for temporaries (closed inside)
     * @param m N x d embeddings
     * @param labels N labels
     * @param ks the K values, each in [1, N - 1]
     * @return recall for each K, in the order of ks
     */
    public static double[] compute(NDManager manager, Matrix m, int[] labels, int[] ks) {
        int kMax = checkKs(m.rows(), labels, ks);
        return fromNeighbours(nearest(manager, m, kMax), kMax, labels, ks);
    }

    /** Checks the labels' count and every K against N; the largest K. */
    static int checkKs(int n, int[] labels, int[] ks) {
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " embeddings but " + labels.length + " labels");
        }
        int kMax = 0;
        for (int k : ks) {
            if (k < 1 || k > n - 1) {
                throw new IllegalArgumentException("K = " + k + " must lie in [1, " + (n - 1) + "]");
            }
            kMax = Math.max(kMax, k);
        }
        return kMax;
    }

    /**
     * Recall@K from a neighbour search already made ({@link #nearest} with some k at least every K).
     *
     * @param neighbours N x k indices, nearest first
     */
    public static double[] fromNeighbours(int[] neighbours, int k, int[] labels, int[] ks) {
        return RetrievalTally.of(neighbours, k, labels, ks, 0).recallAt();
    }

    /** Rows and columns of one tile of the distance matrix. */
    private static final int TILE = 2048;

    /**
     * The k nearest other rows of every row, nearest first: N x k indices, row-major.
     *
     * <p>The squared distances are symmetric, so only tiles on and above the diagonal are computed:
     * each tile is one product of rows augmented as [x, 1, -|x|^2/2] and [x, -|x|^2/2, 1], whose
     * entries are -|x_i - x_j|^2 / 2. The host reads each tile where the engine wrote it and offers
     * each entry to its row's and its column's running k best; entries below both floors (the k-th
     * best so far) are rejected in bulk ({@link TileScan}), so after the first tiles almost nothing
     * is sorted. The k + {@link #CANDIDATE_MARGIN} best by those float32 scores are then ranked by
     * the exact score, ties by index.
     */
    public static int[] nearest(NDManager manager, Matrix m, int k) {
        return nearest(manager, m, k, TILE);
    }

    /** {@link #nearest(NDManager, Matrix, int)} visiting rows of one label together (the same result, sooner for large k). */
    static int[] nearestByLabel(NDManager manager, Matrix m, int[] labels, int k) {
        int[] visit = IntStream.range(0, labels.length).boxed()
                .sorted(java.util.Comparator.<Integer>comparingInt(i -> labels[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        return nearest(manager, m, k, TILE, TileScan.fastest(), visit);
    }

    /**
     * Candidates kept beyond k by the engine's float32 scores; the exact double scores
     * ({@link #exactScore}) then rank them, so that rounding in the product (which depends on how it
     * is tiled) cannot reorder near neighbours: the result is the same on one machine or a cluster.
     */
    public static final int CANDIDATE_MARGIN = 8;

    /**
     * The ranking score of a pair, -|a - b|^2 / 2 summed in double over the float rows (exact up to
     * double rounding, and the same wherever it is computed).
     */
    public static double exactScore(float[] a, int aRow, float[] b, int bRow, int d) {
        // four running sums (columns c mod 4) added in a fixed order: the same value everywhere, four times the speed
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int ao = aRow * d;
        int bo = bRow * d;
        int c = 0;
        for (; c + 3 < d; c += 4) {
            double d0 = (double) a[ao + c] - b[bo + c];
            double d1 = (double) a[ao + c + 1] - b[bo + c + 1];
            double d2 = (double) a[ao + c + 2] - b[bo + c + 2];
            double d3 = (double) a[ao + c + 3] - b[bo + c + 3];
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; c < d; c++) {
            double diff = (double) a[ao + c] - b[bo + c];
            s0 += diff * diff;
        }
        return -((s0 + s1) + (s2 + s3)) / 2;
    }

    /**
     * Twice the bound on |float32 score - exact score| of a pair with squared norms a and b: a product of w terms
     * accumulated in float32 in any order (FMA or not) errs by at most gamma_w times the sum of the terms' magnitudes,
     * at most a + b here, and storing -|x|^2/2 as a float adds u (a + b) / 2.
     */
    static double roundingBound(int d, double a, double b) {
        double u = 0x1p-24;
        int w = d + 2;
        return 2 * ((w * u / (1 - w * u)) * (a + b) + u * (a + b) / 2);
    }

    /**
     * Each row's k candidates, best first by float score, put in exact order: only runs of candidates whose float
     * scores lie within the rounding bound of each other can be out of order, so only those get exact scores and are
     * sorted (exact score, then lower index). Where the want-th candidate's float score is not clear of the last kept
     * one's by the bound, an unkept row could belong to the first want; that row is then ranked against all rows
     * exactly (rare: many near-equal neighbours at the boundary, such as duplicated rows).
     */
    private static int[] rerank(Matrix m, int[] candidates, float[] scores, int k, int want) {
        int n = m.rows();
        int d = m.cols();
        float[] x = m.data();
        double[] sq = new double[n];
        double maxSq = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                sq[i] += (double) x[i * d + c] * x[i * d + c];
            }
            maxSq = Math.max(maxSq, sq[i]);
        }
        int[] out = new int[n * want];
        double bigSq = maxSq;
        // rows are independent: blocks of rows on the common pool (both cores), each with its own scratch
        IntStream.range(0, (n + RERANK_BLOCK - 1) / RERANK_BLOCK).parallel().forEach(block -> {
            int[] order = new int[k];
            float[] approx = new float[k];
            double[] exact = new double[k];
            for (int i = block * RERANK_BLOCK; i < Math.min(n, (block + 1) * RERANK_BLOCK); i++) {
                double eps = roundingBound(d, sq[i], bigSq);
                for (int j = 0; j < k; j++) {
                    order[j] = candidates[i * k + j];
                    approx[j] = scores[i * k + j];
                }
                if (k < n - 1 && (double) approx[want - 1] - approx[k - 1] <= 2 * eps) {
                    allPairs(x, i, n, d, want, out);
                    continue;
                }
                boolean withinBound = true;
                for (int from = 0; from < k && withinBound;) {
                    int to = from;
                    while (to + 1 < k && (double) approx[to] - approx[to + 1] <= 2 * eps) {
                        to++;
                    }
                    if (to > from) {
                        for (int j = from; j <= to; j++) {
                            exact[j] = exactScore(x, i, x, order[j], d);
                            // the bound assumes a float32 product; an engine computing it coarser (TF32, bf16) breaks it
                            withinBound &= Math.abs(exact[j] - approx[j]) <= eps;
                        }
                        insertionSort(exact, order, from, to);
                    }
                    from = to + 1;
                }
                if (withinBound) {
                    System.arraycopy(order, 0, out, i * want, want);
                } else {
                    allPairs(x, i, n, d, want, out);
                }
            }
        });
        return out;
    }

    private static final int RERANK_BLOCK = 256;

    /** Sorts positions from .. to (inclusive) by exact score descending, then index ascending (few are out of order). */
    private static void insertionSort(double[] exact, int[] order, int from, int to) {
        for (int j = from + 1; j <= to; j++) {
            double e = exact[j];
            int o = order[j];
            int at = j - 1;
            while (at >= from && (exact[at] < e || (exact[at] == e && order[at] > o))) {
                exact[at + 1] = exact[at];
                order[at + 1] = order[at];
                at--;
            }
            exact[at + 1] = e;
            order[at + 1] = o;
        }
    }

    /** Row i's want nearest others by exact score against every row, ties by the lower index, into out. */
    private static void allPairs(float[] x, int i, int n, int d, int want, int[] out) {
        double[] score = new double[n];
        Integer[] rank = new Integer[n - 1];
        for (int j = 0, at = 0; j < n; j++) {
            if (j != i) {
                score[j] = exactScore(x, i, x, j, d);
                rank[at++] = j;
            }
        }
        Arrays.sort(rank, (a, b) -> {
            int cmp = Double.compare(score[b], score[a]);
            return cmp != 0 ? cmp : Integer.compare(a, b);
        });
        for (int j = 0; j < want; j++) {
            out[i * want + j] = rank[j];
        }
    }

    /** {@link #nearest(NDManager, Matrix, int)} with a given tile size (for tests). */
    static int[] nearest(NDManager manager, Matrix m, int k, int tileSize) {
        return nearest(manager, m, k, tileSize, TileScan.fastest(), identity(m.rows()));
    }

    /** 0, 1, ..., n - 1. */
    static int[] identity(int n) {
        return IntStream.range(0, n).toArray();
    }

    /**
     * {@link #nearest(NDManager, Matrix, int)} visiting the rows in a given order: row visit[p] is at position p of the
     * tiles. The result does not depend on the order (the exact ranking settles it); an order that puts near rows
     * together (rows of one class, say) makes the floors tight after the diagonal tiles, so fewer candidates are kept
     * and cut back, which is what a search with k of a class size costs.
     */
    static int[] nearest(NDManager manager, Matrix m, int k, int tileSize, TileScan scan, int[] visit) {
        int n = m.rows();
        int d = m.cols();
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("k = " + k + " nearest others must lie in [1, " + (n - 1) + "]");
        }
        int bad = m.firstNonFiniteRow();
        if (bad >= 0) {
            throw new IllegalArgumentException("row " + bad + " contains NaN or Inf: no neighbours to rank");
        }
        Math.multiplyExact(n, k + CANDIDATE_MARGIN);
        int want = k;
        k = Math.min(k + CANDIDATE_MARGIN, n - 1);
        int w = d + 2;
        float[] ordered = new float[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(m.data(), visit[p] * d, ordered, p * d, d);
        }
        CandidateBuffers buffers = new CandidateBuffers(n, k);
        try (NDManager scope = manager.newSubManager()) {
            NDArray l = scope.create(augmented(ordered, 0, n, d, true), new Shape(n, w));
            NDArray r = scope.create(augmented(ordered, 0, n, d, false), new Shape(n, w));
            // the diagonal tiles first, so that every row has a floor from its own block before the tiles off it
            for (int i0 = 0; i0 < n; i0 += tileSize) {
                int first = i0;
                int rows = Math.min(n, i0 + tileSize) - i0;
                tile(scope, l, r, i0, i0, rows, rows, (values) -> scan.diagonal(values, rows, first, buffers));
            }
            for (int i0 = 0; i0 < n; i0 += tileSize) {
                int rows = Math.min(n, i0 + tileSize) - i0;
                for (int j0 = i0 + tileSize; j0 < n; j0 += tileSize) {
                    int cols = Math.min(n, j0 + tileSize) - j0;
                    int first = i0;
                    int other = j0;
                    tile(scope, l, r, i0, j0, rows, cols, (values) -> scan.offDiagonal(values, rows, cols, first, other, buffers));
                }
            }
        }
        int[] candidates = new int[n * k];
        float[] scores = new float[n * k];
        buffers.sorted(visit, candidates, scores);
        return rerank(m, candidates, scores, k, want);
    }

    /** One tile's product, rows i0 .. i0 + rows against j0 .. j0 + cols, handed to the scan where the engine wrote it. */
    private static void tile(NDManager scope, NDArray l, NDArray r, int i0, int j0, int rows, int cols, java.util.function.Consumer<ByteBuffer> scan) {
        try (NDManager tile = scope.newSubManager()) {
            NDArray li = l.get(i0 + ":" + (i0 + rows));
            NDArray rj = r.get(j0 + ":" + (j0 + cols));
            tile.tempAttachAll(li, rj);
            NDArray score = li.matMul(rj.transpose());
            score.attach(tile);
            // the tile's own memory where the engine allows (read before the tile is closed)
            scan.accept(score.toByteBuffer(true).order(ByteOrder.nativeOrder()));
        }
    }

    /**
     * Rows {@code from .. from + n} of a row-major n x d matrix augmented for a similarity product
     * whose entries are -|x_i - x_j|^2 / 2: the left side as [x, 1, -|x|^2/2], the right side as
     * [x, -|x|^2/2, 1] (|x|^2 summed in double, rounded once), n x (d + 2) row-major. Shared by every
     * exact neighbour search, on one machine or on a cluster, so that both score a pair alike.
     */
    public static float[] augmented(float[] data, int from, int n, int d, boolean left) {
        int w = d + 2;
        float[] out = new float[n * w];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            int src = (from + i) * d;
            for (int c = 0; c < d; c++) {
                float v = data[src + c];
                out[i * w + c] = v;
                sq += (double) v * v;
            }
            float half = (float) (-sq / 2);
            out[i * w + d] = left ? 1f : half;
            out[i * w + d + 1] = left ? half : 1f;
        }
        return out;
    }
}
