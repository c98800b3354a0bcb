package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.embreg.data.Matrix;

/**
 * Exact Recall@K by Euclidean distance: the share of queries with at least one same-label
 * neighbour among their K nearest, the query itself excluded (ties broken arbitrarily). Every row
 * is a query against all others. The distances are computed by the engine in row blocks, so memory
 * is O(block x N), never N x N.
 */
public final class RecallAtK {
    private RecallAtK() {}

    /** The paper's K values. */
    public static final int[] PAPER_KS = {1, 2, 4, 8};

    /**
     * @param manager an engine manager for temporaries (closed inside)
     * @param m N x d embeddings
     * @param labels N labels
     * @param ks the K values, each in [1, N - 1]
     * @return recall for each K, in the order of ks
     */
    public static double[] compute(NDManager manager, Matrix m, int[] labels, int[] ks) {
        int n = m.rows();
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
        int[] neighbours = nearest(manager, m, kMax);
        double[] out = new double[ks.length];
        for (int q = 0; q < ks.length; q++) {
            int hits = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < ks[q]; j++) {
                    if (labels[neighbours[i * kMax + j]] == labels[i]) {
                        hits++;
                        break;
                    }
                }
            }
            out[q] = (double) hits / n;
        }
        return out;
    }

    /**
     * The k nearest other rows of every row, nearest first: N x k indices, row-major.
     */
    public static int[] nearest(NDManager manager, Matrix m, int k) {
        int n = m.rows();
        int d = m.cols();
        int block = (int) Math.max(1, Math.min(n, (32L << 20) / Math.max(1, n)));
        int width = Math.min(k + 1, n);
        int[] out = new int[n * k];
        // rows augmented so that one product gives the ranking score q.x - |x|^2 / 2 = (|q|^2 - |q - x|^2) / 2
        float[] queries = new float[n * (d + 1)];
        float[] keys = new float[n * (d + 1)];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int c = 0; c < d; c++) {
                float v = m.data()[i * d + c];
                queries[i * (d + 1) + c] = v;
                keys[i * (d + 1) + c] = v;
                sq += (double) v * v;
            }
            queries[i * (d + 1) + d] = 1f;
            keys[i * (d + 1) + d] = (float) (-sq / 2);
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray q = scope.create(queries, new Shape(n, d + 1));
            NDArray xt = scope.create(keys, new Shape(n, d + 1)).transpose().duplicate();
            for (int start = 0; start < n; start += block) {
                int end = Math.min(n, start + block);
                try (NDManager inner = scope.newSubManager()) {
                    NDArray qb = q.get(start + ":" + end);
                    inner.tempAttachAll(qb);
                    NDList top = qb.matMul(xt).topK(width, 1, true, true);
                    long[] idx = top.get(1).toType(DataType.INT64, false).toLongArray();
                    for (int i = 0; i < end - start; i++) {
                        int self = start + i;
                        int w = 0;
                        for (int j = 0; j < width && w < k; j++) {
                            int cand = (int) idx[i * width + j];
                            if (cand != self) {
                                out[self * k + w++] = cand;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
