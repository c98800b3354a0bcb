package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.embreg.data.ImageAugmentation;
import org.embreg.data.ImageSet;
import org.embreg.data.TwoViewDataset;

/**
 * Batches of two augmented views of the same images, for two-view losses under {@link
 * TrainingLoop}: data (v0, v1), each (b, 1, h, w), and the images' labels (for evaluation only).
 * Images are drawn without replacement in a seeded order that is reshuffled every pass; view k of
 * image i in pass e uses a generator seeded by (seed, e, i, k) alone, as {@link TwoViewDataset}
 * does, so the same seed gives the same views.
 */
public final class TwoViewBatches implements BatchSource {
    private final ImageSet images;
    private final int batchSize;
    private final long seed;
    private final TwoViewDataset.Augmentation augmentation;
    private final ImageAugmentation[] hostViews;
    private final Random order;
    private final int[] permutation;
    private int cursor;
    private int pass = -1;

    /**
     * @param images the images, not modified
     * @param batchSize b, at most the number of images
     * @param seed seeds the order and the views
     * @param augmentation draws one view of one image, shape (1, h, w)
     */
    public TwoViewBatches(ImageSet images, int batchSize, long seed, TwoViewDataset.Augmentation augmentation) {
        if (batchSize < 1 || batchSize > images.size()) {
            throw new IllegalArgumentException("batch size must lie in [1, " + images.size() + "], got " + batchSize);
        }
        this.images = images;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augmentation = java.util.Objects.requireNonNull(augmentation, "augmentation");
        this.hostViews = null;
        this.order = new Random(seed);
        this.permutation = new int[images.size()];
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        this.cursor = permutation.length;
    }

    /**
     * Views made on the host, each view with its own augmentation (VICReg's two views differ), two
     * engine arrays per batch.
     *
     * @param images the images, not modified
     * @param batchSize b, at most the number of images
     * @param seed seeds the order and the views
     * @param first draws view 0 of an image
     * @param second draws view 1 of an image
     */
    public TwoViewBatches(ImageSet images, int batchSize, long seed, ImageAugmentation first, ImageAugmentation second) {
        if (batchSize < 1 || batchSize > images.size()) {
            throw new IllegalArgumentException("batch size must lie in [1, " + images.size() + "], got " + batchSize);
        }
        this.images = images;
        this.batchSize = batchSize;
        this.seed = seed;
        this.augmentation = null;
        this.hostViews = new ImageAugmentation[] {java.util.Objects.requireNonNull(first, "first"), java.util.Objects.requireNonNull(second, "second")};
        this.order = new Random(seed);
        this.permutation = new int[images.size()];
        for (int i = 0; i < permutation.length; i++) {
            permutation[i] = i;
        }
        this.cursor = permutation.length;
    }

    /**
     * Moves past {@code batches} batches without drawing them: a resumed run's source then gives
     * what the uninterrupted run's gave at that step (only the order's shuffles are replayed; the
     * views depend on (seed, pass, image, view) alone).
     */
    public void skip(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("cannot skip " + batches + " batches");
        }
        for (int k = 0; k < batches; k++) {
            startPassIfNeeded();
            cursor += batchSize;
        }
    }

    private void startPassIfNeeded() {
        if (cursor + batchSize > permutation.length) {
            for (int i = permutation.length - 1; i > 0; i--) {
                int j = order.nextInt(i + 1);
                int t = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = t;
            }
            cursor = 0;
            pass++;
        }
    }

    @Override
    public StepBatch next(NDManager scope) {
        startPassIfNeeded();
        int h = images.height();
        int w = images.width();
        int px = h * w;
        if (hostViews != null) {
            float[][] views = {new float[batchSize * px], new float[batchSize * px]};
            int[] labels = new int[batchSize];
            for (int k = 0; k < batchSize; k++) {
                int i = permutation[cursor++];
                float[] pixels = java.util.Arrays.copyOfRange(images.pixels(), i * px, (i + 1) * px);
                for (int v = 0; v < 2; v++) {
                    float[] view = hostViews[v].apply(pixels, h, w, new Random(TwoViewDataset.viewSeed(seed, pass, i, v)));
                    System.arraycopy(view, 0, views[v], k * px, px);
                }
                labels[k] = images.labels()[i];
            }
            Shape shape = new Shape(batchSize, 1, h, w);
            return new StepBatch(new NDList(scope.create(views[0], shape), scope.create(views[1], shape)), new NDList(scope.create(labels)));
        }
        NDList first = new NDList(batchSize);
        NDList second = new NDList(batchSize);
        int[] labels = new int[batchSize];
        for (int k = 0; k < batchSize; k++) {
            int i = permutation[cursor++];
            float[] pixels = java.util.Arrays.copyOfRange(images.pixels(), i * px, (i + 1) * px);
            NDArray sample = scope.create(pixels, new Shape(1, h, w));
            first.add(augmentation.apply(sample, new Random(TwoViewDataset.viewSeed(seed, pass, i, 0))));
            second.add(augmentation.apply(sample, new Random(TwoViewDataset.viewSeed(seed, pass, i, 1))));
            labels[k] = images.labels()[i];
        }
        return new StepBatch(new NDList(NDArrays.stack(first), NDArrays.stack(second)), new NDList(scope.create(labels)));
    }
}
