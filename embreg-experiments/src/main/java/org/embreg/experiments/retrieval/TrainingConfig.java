package org.embreg.experiments.retrieval;

import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.model.LayerRegularization;
import org.embreg.experiments.model.SmallCnn;

/**
 * How one arm trains: a ranking loss plus a weighted regularizer on a backbone, SGD with momentum
 * 0.9, the learning rate fixed for K/2 iterations and then decayed polynomially to 1e-7 at K.
 *
 * @param loss the ranking loss
 * @param backbone the embedding network
 * @param weights DJL parameters to start from, or null for a fresh seeded initialization
 * @param iterations K
 * @param learningRate the base learning rate
 * @param classesPerBatch p
 * @param samplesPerClass l
 * @param dim the embedding size d
 * @param width channels of the small CNN's first convolution (0 for the other backbones, which have no such setting)
 * @param regularizer which regularizer
 * @param lambda its weight
 * @param seed seeds initialization, sampling and the regularizer
 * @param logEvery log loss terms and measure collapse every this many iterations
 * @param monitor what the collapse monitor watches and whether it stops training
 * @param layers a regularizer on every layer of the backbone, besides the one on the embedding
 * @param weightDecay SGD's weight decay on every parameter (0: none)
 */
public record TrainingConfig(RankingLossKind loss, Backbone backbone, java.nio.file.Path weights, int iterations, double learningRate, int classesPerBatch, int samplesPerClass, int dim,
        int width, RegularizerKind regularizer, double lambda, long seed, int logEvery, Monitor monitor, LayerRegularization layers, double weightDecay) {
    /** A configuration with no layer regularizer. */
    public TrainingConfig(RankingLossKind loss, Backbone backbone, java.nio.file.Path weights, int iterations, double learningRate, int classesPerBatch,
            int samplesPerClass, int dim, int width, RegularizerKind regularizer, double lambda, long seed, int logEvery, Monitor monitor) {
        this(loss, backbone, weights, iterations, learningRate, classesPerBatch, samplesPerClass, dim, width, regularizer, lambda, seed, logEvery, monitor,
                LayerRegularization.NONE, 0);
    }
    /**
     * What the collapse monitor watches and whether it stops training.
     *
     * @param block the network block whose output it watches ("05Conv2d"), or null for the embedding
     * @param stopOnCollapse stop training when a measure crosses its threshold (the arm is then
     *     evaluated as it stands)
     */
    public record Monitor(String block, boolean stopOnCollapse) {
        /** The embedding, warnings only. */
        public static final Monitor DEFAULT = new Monitor(null, false);
    }

    /** A configuration with the default monitor (the embedding, warnings only). */
    public TrainingConfig(RankingLossKind loss, Backbone backbone, java.nio.file.Path weights, int iterations, double learningRate, int classesPerBatch,
            int samplesPerClass, int dim, int width, RegularizerKind regularizer, double lambda, long seed, int logEvery) {
        this(loss, backbone, weights, iterations, learningRate, classesPerBatch, samplesPerClass, dim, width, regularizer, lambda, seed, logEvery,
                Monitor.DEFAULT);
    }

    public TrainingConfig {
        monitor = monitor == null ? Monitor.DEFAULT : monitor;
        layers = layers == null ? LayerRegularization.NONE : layers;
        java.util.Objects.requireNonNull(loss, "loss");
        java.util.Objects.requireNonNull(backbone, "backbone");
        java.util.Objects.requireNonNull(regularizer, "regularizer");
        require(iterations >= 1, "iterations", iterations);
        require(learningRate > 0 && Double.isFinite(learningRate), "learning rate", learningRate);
        require(classesPerBatch >= 2, "classes per batch", classesPerBatch);
        require(samplesPerClass >= 2, "samples per class", samplesPerClass);
        require(dim >= 2, "embedding dim", dim);
        if (backbone == Backbone.SMALL_CNN && width < SmallCnn.MIN_WIDTH) {
            throw new IllegalArgumentException("width " + width + " is below " + SmallCnn.MIN_WIDTH + ": " + SmallCnn.WHY_MIN_WIDTH);
        }
        require(backbone == Backbone.SMALL_CNN || width == 0, "width (0: " + backbone.cliName() + " has no width setting)", width);
        require(lambda >= 0 && Double.isFinite(lambda), "lambda", lambda);
        if (regularizer == RegularizerKind.NONE && lambda != 0) {
            throw new IllegalArgumentException("lambda " + lambda + " has no effect without a regularizer");
        }
        require(logEvery >= 1, "log interval", logEvery);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay", weightDecay);
    }

    private static void require(boolean ok, String what, Number value) {
        if (!ok) {
            throw new IllegalArgumentException("invalid " + what + ": " + value);
        }
    }

    /**
     * The arm's name in results: the regularizer's, "+layers-&lt;regularizer&gt;" when every layer is
     * regularized, and "+wd&lt;decay&gt;" with weight decay.
     */
    public String armName() {
        return regularizer.armName() + (layers.active() ? "+layers-" + layers.regularizer().armName() : "")
                + (weightDecay > 0 ? "+wd" + java.math.BigDecimal.valueOf(weightDecay).stripTrailingZeros().toPlainString() : "");
    }

    /** b = p x l. */
    public int batchSize() {
        return classesPerBatch * samplesPerClass;
    }

    /** The same configuration with another regularizer and weight. */
    public TrainingConfig withRegularizer(RegularizerKind kind, double weight) {
        return new TrainingConfig(loss, backbone, weights, iterations, learningRate, classesPerBatch, samplesPerClass, dim, width, kind, weight, seed, logEvery,
                monitor, layers, weightDecay);
    }

    /** The same configuration with a regularizer on every layer and a weight decay. */
    public TrainingConfig withLayers(LayerRegularization layers, double weightDecay) {
        return new TrainingConfig(loss, backbone, weights, iterations, learningRate, classesPerBatch, samplesPerClass, dim, width, regularizer, lambda, seed,
                logEvery, monitor, layers, weightDecay);
    }
}
