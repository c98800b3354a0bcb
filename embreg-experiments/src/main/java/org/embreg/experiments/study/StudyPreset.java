package org.embreg.experiments.study;

import java.util.Arrays;

/**
 * How big a study is.
 *
 * @param iterations K per run
 * @param learningRates the learning rates swept
 * @param maxTestImages evaluation images (0 = all)
 */
public record StudyPreset(int iterations, double[] learningRates, int maxTestImages) {
    public StudyPreset {
        if (iterations < 1 || learningRates.length == 0 || maxTestImages < 0) {
            throw new IllegalArgumentException("a study preset needs iterations >= 1, at least one learning rate and maxTestImages >= 0, got "
                    + iterations + ", " + Arrays.toString(learningRates) + ", " + maxTestImages);
        }
        learningRates = learningRates.clone();
    }

    @Override
    public double[] learningRates() {
        return learningRates.clone();
    }

    /** The two sizes every study comes in. */
    public enum Scale {
        /** Minutes on a 2-core machine: K = 300, 2,000 test images. */
        QUICK,
        /** The paper's K = 5000 on the whole test split. */
        PAPER;

        /** The quick or the paper one of two settings, by this scale. */
        public <T> T choose(T quick, T paper) {
            return this == QUICK ? quick : paper;
        }
    }
}
