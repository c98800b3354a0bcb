package org.embreg.experiments.retrieval;

import java.nio.file.Path;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.DatasetLocator;
import org.embreg.data.ImageSet;
import org.embreg.data.MnistLayout;

/**
 * The open-set retrieval protocol (CUB-200's, in miniature): train on the training images of the
 * first half of the classes, evaluate retrieval on the test images of the second half.
 *
 * @param train training images of classes [0, C/2)
 * @param test test images of classes [C/2, C)
 * @param source where the data was found
 * @param testSample how the test images were chosen: "all" or the seeded sample's size and seed
 */
public record OpenSetSplit(ImageSet train, ImageSet test, DatasetLocator.Located source, String testSample) {

    /** Seeds the sample of test images that {@code maxTest} draws (fixed, so every run of a study sees the same images). */
    public static final long TEST_SAMPLE_SEED = 20210101;

    /**
     * Locates and loads the data and splits it.
     *
     * @param maxTrain at most this many training images, the first ones (0 = all)
     * @param maxTest at most this many test images, a seeded sample across the test classes (0 = all)
     */
    public static OpenSetSplit load(DatasetLocator locator, Path dataDir, Map<String, String> environment, int maxTrain, int maxTest) {
        if (maxTrain < 0 || maxTest < 0) {
            throw new IllegalArgumentException("the numbers of training and test images must be >= 0 (0 = all), got " + maxTrain + " and " + maxTest);
        }
        DatasetLocator.Located data = locator.locate(dataDir, environment);
        ImageSet trainAll = MnistLayout.train(data.directory());
        ImageSet testAll = MnistLayout.test(data.directory());
        int classes = Math.max(max(trainAll.labels()), max(testAll.labels())) + 1;
        if (classes < 4) {
            throw new EmbregException(data.directory() + ": the open-set split needs at least 4 classes, found " + classes);
        }
        int half = classes / 2;
        ImageSet train = trainAll.classes(0, half);
        ImageSet unseen = testAll.classes(half, classes);
        ImageSet test = unseen;
        if (maxTrain > 0) {
            train = train.head(maxTrain);
        }
        if (maxTest > 0) {
            test = test.sample(maxTest, TEST_SAMPLE_SEED);
        }
        int needed = java.util.Collections.max(org.embreg.metric.RecallAtK.PAPER_KS) + 1;
        if (test.size() < needed) {
            throw new EmbregException(data.directory() + ": " + test.size() + " test images" + (maxTest > 0 ? " (--max-test " + maxTest + ")" : "")
                    + "; Recall@" + (needed - 1) + " needs at least " + needed);
        }
        if (train.classCount() < 2 || test.classCount() < 2) {
            throw new EmbregException(data.directory() + ": the split has " + train.classCount() + " training and " + test.classCount()
                    + " test classes; at least 2 of each are needed");
        }
        return new OpenSetSplit(train, test, data, test.size() < unseen.size()
                ? "seeded sample of " + test.size() + " across classes, seed " + TEST_SAMPLE_SEED : "all");
    }

    /** Where the data came from, for provenance: "DIR (how it was found)". */
    public String describeSource() {
        return source.directory() + " (" + source.source() + ")";
    }

    private static int max(int[] a) {
        int m = Integer.MIN_VALUE;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
