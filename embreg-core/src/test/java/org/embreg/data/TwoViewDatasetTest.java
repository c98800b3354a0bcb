package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TwoViewDatasetTest {
    /** Adds N(0, 0.1^2) noise drawn from the view's generator. */
    static final TwoViewDataset.Augmentation NOISE = (x, random) -> {
        float[] noise = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.1 * random.nextGaussian());
        }
        return x.add(x.getManager().create(noise, x.getShape()));
    };

    static ArrayDataset source(NDManager m, int n, int d, boolean labelled) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        ArrayDataset.Builder b = new ArrayDataset.Builder().setData(m.create(x, new Shape(n, d))).setSampling(4, false);
        if (labelled) {
            int[] y = new int[n];
            Arrays.setAll(y, i -> 100 + i);
            b.optLabels(m.create(y));
        }
        return b.build();
    }

    static TwoViewDataset views(ArrayDataset source, long seed) {
        return TwoViewDataset.builder().setSource(source).setAugmentation(NOISE).setSeed(seed).setSampling(4, false).build();
    }

    @Test
    void viewsAreSeededByEpochIndexAndViewAlone() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset source = source(m, 10, 3, true);
            TwoViewDataset a = views(source, 5);
            TwoViewDataset b = views(source, 5);
            Record ra = a.get(m, 7);
            float[] a0 = ra.getData().get(0).toFloatArray();
            float[] a1 = ra.getData().get(1).toFloatArray();
            assertEquals(100 + 7, ra.getLabels().head().getInt());
            b.get(m, 3);
            assertArrayEquals(a0, b.get(m, 7).getData().get(0).toFloatArray(), "same seed, epoch and index: same view");
            assertFalse(Arrays.equals(a0, a1), "the two views of a sample differ");
            float[] x = source.get(m, 7).getData().head().toFloatArray();
            for (int j = 0; j < x.length; j++) {
                assertTrue(Math.abs(a0[j] - x[j]) < 1, "a view is the sample plus small noise");
            }
            assertArrayEquals(new float[] {21, 22, 23}, x, "the source is not modified");

            a.setEpoch(1);
            assertFalse(Arrays.equals(a0, a.get(m, 7).getData().get(0).toFloatArray()), "a new epoch draws new views");
            assertFalse(Arrays.equals(a0, views(source, 6).get(m, 7).getData().get(0).toFloatArray()), "another seed, other views");
            b.epochListener().onEpoch(null);
            assertEquals(1, b.getEpoch());
            assertArrayEquals(a.get(m, 7).getData().get(1).toFloatArray(), b.get(m, 7).getData().get(1).toFloatArray());
        }
    }

    @Test
    void batchesHoldTwoViewBatchesAndTheLabels() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            TwoViewDataset unlabelled = views(source(m, 10, 3, false), 5);
            int batches = 0;
            for (Batch batch : unlabelled.getData(m)) {
                try (batch) {
                    assertEquals(2, batch.getData().size());
                    NDArray first = batch.getData().get(0);
                    assertEquals(new Shape(batch.getSize(), 3), first.getShape());
                    assertEquals(first.getShape(), batch.getData().get(1).getShape());
                    long[] indices = batch.getLabels().head().toLongArray();
                    assertEquals(batches * 4L, indices[0], "without source labels the label is the index");
                    batches++;
                }
            }
            assertEquals(3, batches);
        }
    }

    @Test
    void buildNamesWhatIsMissing() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset source = source(m, 4, 2, true);
            assertMessage("source", () -> TwoViewDataset.builder().setAugmentation(NOISE).setSeed(1).setSampling(2, false).build());
            assertMessage("augmentation", () -> TwoViewDataset.builder().setSource(source).setSeed(1).setSampling(2, false).build());
            assertMessage("seed", () -> TwoViewDataset.builder().setSource(source).setAugmentation(NOISE).setSampling(2, false).build());
            assertMessage("sampling", () -> TwoViewDataset.builder().setSource(source).setAugmentation(NOISE).setSeed(1).build());
            assertMessage("epoch", () -> views(source, 1).setEpoch(-1));
        }
    }

    private static void assertMessage(String parameter, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(parameter), e.getMessage());
    }
}
