package org.embreg.experiments.demo;

import java.nio.file.Path;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;

/**
 * The demo: three arms (none, SVMax, VICReg variance) trained from the same seed and
 * initialization on the open-set split of an MNIST-layout dataset (train on the training images of
 * the first half of the classes, evaluate retrieval on the test images of the second half).
 *
 * @param training the shared training configuration (its regularizer is replaced per arm)
 * @param svmaxLambda SVMax weight
 * @param vicregLambda weight of the VICReg variance term
 * @param dataDir an explicit data directory, or null to locate Fashion-MNIST
 * @param out the run directory
 * @param maxTrainImages use at most this many training images (0 = all)
 * @param maxTestImages evaluate on at most this many test images (0 = all)
 */
public record DemoConfig(TrainingConfig training, double svmaxLambda, double vicregLambda, Path dataDir, Path out,
        int maxTrainImages, int maxTestImages) {

    /** The default learning rate, at which the unregularized arm collapses on Fashion-MNIST. */
    public static final double DEFAULT_LEARNING_RATE = 8.0;
    /** The default number of iterations per arm. */
    public static final int DEFAULT_ITERATIONS = 800;

    public static TrainingConfig defaultTraining(long seed) {
        return new TrainingConfig(RankingLossKind.CONTRASTIVE, Backbone.SMALL_CNN, null, DEFAULT_ITERATIONS, DEFAULT_LEARNING_RATE, 36, 4, 128, 32, RegularizerKind.NONE, 0, seed, 10);
    }
}
