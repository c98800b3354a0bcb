package org.embreg.experiments.report;

import org.embreg.experiments.retrieval.OpenSetSplit;

/**
 * The data a retrieval run used.
 *
 * @param trainImages training images
 * @param testImages evaluation images
 * @param trainClasses classes seen in training
 * @param testClasses unseen classes evaluated
 * @param imageSize "28x28"
 * @param source the data's directory and how it was found
 * @param testSample how the test images were chosen
 */
public record DataSummary(int trainImages, int testImages, int trainClasses, int testClasses, String imageSize, String source, String testSample) {
    public static DataSummary of(OpenSetSplit split) {
        return new DataSummary(split.train().size(), split.test().size(), split.train().classCount(), split.test().classCount(),
                split.train().height() + "x" + split.train().width(), split.describeSource(), split.testSample());
    }
}
