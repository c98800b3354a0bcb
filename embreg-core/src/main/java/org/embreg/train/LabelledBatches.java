package org.embreg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Iterator;
import org.embreg.data.ClassBalancedSampler;
import org.embreg.data.ImageSet;

/**
 * Class-balanced batches of labelled one-channel images, p classes x l samples laid out class by
 * class ({@link ClassBalancedSampler}): data (b, 1, h, w), labels (b).
 */
public final class LabelledBatches implements BatchSource {
    private final ImageSet images;
    private final Iterator<long[]> batches;
    private final float[] pixels;
    private final int[] labels;

    /**
     * @param images the images, not modified
     * @param classesPerBatch p
     * @param samplesPerClass l
     * @param seed seeds the sampler
     */
    public LabelledBatches(ImageSet images, int classesPerBatch, int samplesPerClass, long seed) {
        this.images = images;
        this.batches = new ClassBalancedSampler(images.labels(), classesPerBatch, samplesPerClass, seed).batches();
        int b = classesPerBatch * samplesPerClass;
        this.pixels = new float[b * images.height() * images.width()];
        this.labels = new int[b];
    }

    @Override
    public StepBatch next(NDManager scope) {
        long[] idx = batches.next();
        int px = images.height() * images.width();
        for (int i = 0; i < idx.length; i++) {
            int src = (int) idx[i];
            System.arraycopy(images.pixels(), src * px, pixels, i * px, px);
            labels[i] = images.labels()[src];
        }
        NDList x = new NDList(scope.create(pixels, new Shape(idx.length, 1, images.height(), images.width())));
        NDList y = new NDList(scope.create(labels));
        return new StepBatch(x, y);
    }
}
