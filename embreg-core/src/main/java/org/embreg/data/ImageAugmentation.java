package org.embreg.data;

import java.util.Random;

/** One random view of a one-channel image, computed on the host (cheap next to a training step; no engine call per image). */
@FunctionalInterface
public interface ImageAugmentation {
    /**
     * @param image height x width pixels in [0, 1], row-major; not modified
     * @param random the view's only source of randomness
     * @return a new array of height x width pixels in [0, 1]
     */
    float[] apply(float[] image, int height, int width, Random random);
}
