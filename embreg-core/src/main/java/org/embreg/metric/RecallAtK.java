package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
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
        int n = labels.length;
        double[] out = new double[ks.length];
        for (int q = 0; q < ks.length; q++) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ks[q]; j++) {
                    if (labels[neighbours[i * k + j]] == labels[i]) {
                        hits++;
                        break;
                    }
                }
            }
            out[q] = (double) hits / n;
        }
        return out;
    }

    /** Rows and columns of one tile of the distance matrix. */
    private static final int TILE = 2048;

    /**
     * The k nearest other rows of every row, nearest first: N x k indices, row-major.
     *
     * <p>The squared distances are symmetric, so only tiles on and above the diagonal are computed:
     * each tile is one product of rows augmented as [x, 1, -|x|^2/2] and [x, -|x|^2/2, 1], whose
     * entries are -|x_i - x_j|^2 / 2; its best entries along rows serve the tile's row block and
     * along columns its column block, and a heap of the k best per row on the host merges the tiles.
     * The k + {@link #CANDIDATE_MARGIN} best by those float32 scores are then ranked by the exact
     * score, ties by index.
     */
    public static int[] nearest(NDManager manager, Matrix m, int k) {
        return nearest(manager, m, k, TILE);
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
        double s = 0;
        int ao = aRow * d;
        int bo = bRow * d;
        for (int c = 0; c < d; c++) {
            double diff = (double) a[ao + c] - b[bo + c];
            s += diff * diff;
        }
        return -s / 2;
    }

    /** Each row's k candidates (float order) ranked by the exact score, ties by the lower index; the first {@code want} of them. */
    private static int[] rerank(Matrix m, int[] candidates, int k, int want) {
        int n = m.rows();
        int d = m.cols();
        int[] out = new int[n * want];
        double[] score = new double[n];
        Integer[] order = new Integer[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                int c = candidates[i * k + j];
                score[c] = exactScore(m.data(), i, m.data(), c, d);
                order[j] = c;
            }
            Arrays.sort(order, (a, b) -> {
                int cmp = Double.compare(score[b], score[a]);
                return cmp != 0 ? cmp : Integer.compare(a, b);
            });
            for (int j = 0; j < want; j++) {
                out[i * want + j] = order[j];
            }
        }
        return out;
    }

    /** {@link #nearest(NDManager, Matrix, int)} with a given tile size (for tests). */
    static int[] nearest(NDManager manager, Matrix m, int k, int tileSize) {
        int n = m.rows();
        int d = m.cols();
        int want = k;
        k = Math.min(k + CANDIDATE_MARGIN, n - 1);
        int width = Math.min(k + 1, n);
        int w = d + 2;
        float[] left = augmented(m.data(), 0, n, d, true);
        float[] right = augmented(m.data(), 0, n, d, false);
        float[] bestScore = new float[n * k];
        int[] bestIndex = new int[n * k];
        int[] filled = new int[n];
        try (NDManager scope = manager.newSubManager()) {
            NDArray l = scope.create(left, new Shape(n, w));
            NDArray r = scope.create(right, new Shape(n, w));
            for (int i0 = 0; i0 < n; i0 += tileSize) {
                int i1 = Math.min(n, i0 + tileSize);
                for (int j0 = i0; j0 < n; j0 += tileSize) {
                    int j1 = Math.min(n, j0 + tileSize);
                    try (NDManager tile = scope.newSubManager()) {
                        NDArray li = l.get(i0 + ":" + i1);
                        NDArray rj = r.get(j0 + ":" + j1);
                        tile.tempAttachAll(li, rj);
                        NDArray score = li.matMul(rj.transpose());
                        NDList rows = score.topK(Math.min(width, j1 - j0), 1, true, true);
                        merge(rows, false, i0, j0, k, bestScore, bestIndex, filled);
                        if (j0 != i0) {
                            NDList cols = score.topK(Math.min(width, i1 - i0), 0, true, true);
                            merge(cols, true, j0, i0, k, bestScore, bestIndex, filled);
                        }
                    }
                }
            }
        }
        sortRows(bestScore, bestIndex, n, k);
        return rerank(m, bestIndex, k, want);
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

    /**
     * Offers a tile's top entries to the running top-k: for rows (byColumns false) entry [t][c]
     * of the (rows x width) result is a candidate for row first + t at index other + idx; for
     * columns (byColumns true) the result is (width x cols) and entry [c][t] a candidate for row
     * first + t.
     */
    private static void merge(NDList top, boolean byColumns, int first, int other, int k, float[] bestScore, int[] bestIndex, int[] filled) {
        float[] values = top.get(0).toFloatArray();
        long[] idx = top.get(1).toType(DataType.INT64, false).toLongArray();
        long[] shape = top.get(0).getShape().getShape();
        int targets = (int) (byColumns ? shape[1] : shape[0]);
        int per = (int) (byColumns ? shape[0] : shape[1]);
        for (int t = 0; t < targets; t++) {
            int row = first + t;
            for (int c = 0; c < per; c++) {
                int at = byColumns ? c * targets + t : t * per + c;
                int cand = other + (int) idx[at];
                if (cand != row) {
                    offer(bestScore, bestIndex, filled, row, k, values[at], cand);
                }
            }
        }
    }

    /** Keeps the k best candidates of a row in a min-heap on the score (its root is the worst kept). */
    private static void offer(float[] score, int[] index, int[] filled, int row, int k, float value, int cand) {
        int base = row * k;
        int size = filled[row];
        if (size < k) {
            int at = size;
            filled[row] = size + 1;
            while (at > 0) {
                int parent = (at - 1) / 2;
                if (score[base + parent] <= value) {
                    break;
                }
                score[base + at] = score[base + parent];
                index[base + at] = index[base + parent];
                at = parent;
            }
            score[base + at] = value;
            index[base + at] = cand;
        } else if (value > score[base]) {
            siftDown(score, index, base, k, value, cand);
        }
    }

    private static void siftDown(float[] score, int[] index, int base, int size, float value, int cand) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && score[base + child + 1] < score[base + child]) {
                child++;
            }
            if (score[base + child] >= value) {
                break;
            }
            score[base + at] = score[base + child];
            index[base + at] = index[base + child];
            at = child;
        }
        score[base + at] = value;
        index[base + at] = cand;
    }

    /** Turns each row's heap into its candidates ordered best first (heap sort). */
    private static void sortRows(float[] score, int[] index, int rows, int k) {
        for (int row = 0; row < rows; row++) {
            int base = row * k;
            for (int size = k; size > 1; size--) {
                float worst = score[base];
                int worstIndex = index[base];
                float lastScore = score[base + size - 1];
                int lastIndex = index[base + size - 1];
                score[base + size - 1] = worst;
                index[base + size - 1] = worstIndex;
                siftDown(score, index, base, size - 1, lastScore, lastIndex);
            }
        }
    }
}
