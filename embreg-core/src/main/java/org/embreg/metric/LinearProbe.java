package org.embreg.metric;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
import org.embreg.data.Matrix;

/**
 * A linear probe, the field's second measure of a frozen representation: a linear classifier
 * (softmax cross-entropy) trained on the training split's features and scored by top-1 accuracy on
 * the test split's. Features are standardized with the training split's per-dimension mean and
 * standard deviation; the classifier starts at zero (the problem is convex, so no random
 * initialization is needed) and is trained by SGD with momentum 0.9 on a cosine schedule over
 * seeded shuffles, so the same seed gives the same accuracy.
 *
 * @param epochs passes over the training features
 * @param batchSize rows per update
 * @param learningRate the starting rate of the cosine schedule
 * @param seed seeds the shuffles
 */
public record LinearProbe(int epochs, int batchSize, double learningRate, long seed) {
    public LinearProbe {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("need epochs >= 1, batch >= 1 and a positive learning rate; got " + epochs + ", " + batchSize + ", "
                    + learningRate);
        }
    }

    /** 20 epochs of batches of 256 at 0.1. */
    public static LinearProbe standard(long seed) {
        return new LinearProbe(20, 256, 0.1, seed);
    }

    /** Trains on (train, trainLabels) and returns the top-1 accuracy on (test, testLabels). */
    public double top1(NDManager manager, Matrix train, int[] trainLabels, Matrix test, int[] testLabels) {
        int d = train.cols();
        if (test.cols() != d) {
            throw new IllegalArgumentException("training features have " + d + " columns, test features " + test.cols());
        }
        if (trainLabels.length != train.rows() || testLabels.length != test.rows()) {
            throw new IllegalArgumentException("features and labels differ in count: " + train.rows() + " / " + trainLabels.length + " and "
                    + test.rows() + " / " + testLabels.length);
        }
        int classes = 0;
        for (int y : trainLabels) {
            if (y < 0) {
                throw new IllegalArgumentException("labels must be >= 0, got " + y);
            }
            classes = Math.max(classes, y + 1);
        }
        double[] mean = new double[d];
        double[] std = new double[d];
        standardization(train, mean, std);
        float[] xTrain = standardize(train, mean, std);
        float[] xTest = standardize(test, mean, std);
        int n = train.rows();
        int perEpoch = (n + batchSize - 1) / batchSize;
        Linear layer = Linear.builder().setUnits(classes).build();
        layer.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        layer.setInitializer(new ConstantInitializer(0f), Parameter.Type.BIAS);
        Tracker schedule = Tracker.cosine().setBaseValue((float) learningRate).optFinalValue(0f).setMaxUpdates(epochs * perEpoch).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(0.9f).build());
        try (Model model = Model.newInstance("linear-probe", manager.getDevice())) {
            model.setBlock(layer);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, d));
                Random random = new Random(seed);
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                float[] xb = new float[batchSize * d];
                float[] yb = new float[batchSize];
                for (int e = 0; e < epochs; e++) {
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    for (int start = 0; start < n; start += batchSize) {
                        int b = Math.min(batchSize, n - start);
                        for (int k = 0; k < b; k++) {
                            System.arraycopy(xTrain, order[start + k] * d, xb, k * d, d);
                            yb[k] = trainLabels[order[start + k]];
                        }
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDArray x = scope.create(java.util.Arrays.copyOf(xb, b * d), new Shape(b, d));
                            NDArray y = scope.create(java.util.Arrays.copyOf(yb, b), new Shape(b));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                            }
                            trainer.step();
                        }
                    }
                }
                int hits = 0;
                int chunk = 4096;
                for (int start = 0; start < test.rows(); start += chunk) {
                    int b = Math.min(chunk, test.rows() - start);
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.create(java.util.Arrays.copyOfRange(xTest, start * d, (start + b) * d), new Shape(b, d));
                        long[] predicted = trainer.evaluate(new NDList(x)).singletonOrThrow().argMax(1).toType(DataType.INT64, false).toLongArray();
                        for (int k = 0; k < b; k++) {
                            if (predicted[k] == testLabels[start + k]) {
                                hits++;
                            }
                        }
                    }
                }
                return (double) hits / test.rows();
            }
        }
    }

    private static void standardization(Matrix m, double[] mean, double[] std) {
        int d = m.cols();
        for (int i = 0; i < m.rows(); i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += m.data()[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= m.rows();
        }
        for (int i = 0; i < m.rows(); i++) {
            for (int c = 0; c < d; c++) {
                double v = m.data()[i * d + c] - mean[c];
                std[c] += v * v;
            }
        }
        for (int c = 0; c < d; c++) {
            std[c] = Math.sqrt(std[c] / m.rows());
            if (!(std[c] > 1e-12)) {
                std[c] = 1; // a constant feature stays 0 after centring
            }
        }
    }

    private static float[] standardize(Matrix m, double[] mean, double[] std) {
        int d = m.cols();
        float[] out = new float[m.rows() * d];
        for (int i = 0; i < m.rows(); i++) {
            for (int c = 0; c < d; c++) {
                out[i * d + c] = (float) ((m.data()[i * d + c] - mean[c]) / std[c]);
            }
        }
        return out;
    }
}
