package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.embreg.data.Matrix;

/**
 * The weighted k-nearest-neighbour classifier self-supervised methods are evaluated with (Wu et
 * al. 2018; solo-learn's {@code WeightedKNNClassifier}): rows are L2-normalized, each test row's k
 * most cosine-similar training rows vote for their class with weight exp(similarity / T), and the
 * class with the largest total wins (the smallest class index on a tie). Defaults k = 20, T = 0.07.
 * Similarities are computed by the engine for tiles of test rows against all training rows:
 * memory O(tile x N_train), never N_test x N_train.
 */
public final class WeightedKnn {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_TEMPERATURE = 0.07;
    private static final int TILE = 256;

    private WeightedKnn() {}

    /** Top-1 accuracy with k = 20, T = 0.07. */
    public static double top1(NDManager manager, Matrix train, int[] trainLabels, Matrix test, int[] testLabels) {
        return top1(manager, train, trainLabels, test, testLabels, DEFAULT_K, DEFAULT_TEMPERATURE);
    }

    /** The share of test rows whose predicted class is their label. */
    public static double top1(NDManager manager, Matrix train, int[] trainLabels, Matrix test, int[] testLabels, int k, double temperature) {
        int[] predicted = predict(manager, train, trainLabels, test, k, temperature);
        if (testLabels.length != predicted.length) {
            throw new IllegalArgumentException(test.rows() + " test rows but " + testLabels.length + " test labels");
        }
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == testLabels[i]) {
                hits++;
            }
        }
        return (double) hits / predicted.length;
    }

    /**
     * The predicted class of every test row.
     *
     * @param manager an engine manager for temporaries (closed inside)
     * @param k neighbours, at most the training rows
     * @param temperature T &gt; 0
     */
    public static int[] predict(NDManager manager, Matrix train, int[] trainLabels, Matrix test, int k, double temperature) {
        if (train.cols() != test.cols()) {
            throw new IllegalArgumentException("training rows have " + train.cols() + " columns, test rows " + test.cols());
        }
        if (trainLabels.length != train.rows()) {
            throw new IllegalArgumentException(train.rows() + " training rows but " + trainLabels.length + " labels");
        }
        if (k < 1 || k > train.rows()) {
            throw new IllegalArgumentException("k = " + k + " must lie in [1, " + train.rows() + "]");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("the temperature must be positive and finite, got " + temperature);
        }
        int classes = 0;
        for (int y : trainLabels) {
            if (y < 0) {
                throw new IllegalArgumentException("labels must be >= 0, got " + y);
            }
            classes = Math.max(classes, y + 1);
        }
        int[] out = new int[test.rows()];
        try (NDManager scope = manager.newSubManager()) {
            NDArray trainT = normalized(scope, train).transpose();
            NDArray testN = normalized(scope, test);
            double[] votes = new double[classes];
            for (int i0 = 0; i0 < test.rows(); i0 += TILE) {
                int i1 = Math.min(test.rows(), i0 + TILE);
                try (NDManager tile = scope.newSubManager()) {
                    NDArray q = testN.get(i0 + ":" + i1);
                    tile.tempAttachAll(q);
                    NDList top = q.matMul(trainT).topK(k, 1, true, true);
                    float[] sims = top.get(0).toFloatArray();
                    long[] idx = top.get(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                    for (int r = 0; r < i1 - i0; r++) {
                        java.util.Arrays.fill(votes, 0);
                        for (int j = 0; j < k; j++) {
                            votes[trainLabels[(int) idx[r * k + j]]] += Math.exp(sims[r * k + j] / temperature);
                        }
                        int best = 0;
                        for (int c = 1; c < classes; c++) {
                            if (votes[c] > votes[best]) {
                                best = c;
                            }
                        }
                        out[i0 + r] = best;
                    }
                }
            }
        }
        return out;
    }

    private static NDArray normalized(NDManager scope, Matrix m) {
        return scope.create(m.data(), new Shape(m.rows(), m.cols())).normalize(2, 1, 1e-12);
    }
}
