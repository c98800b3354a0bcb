package org.embreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.embreg.data.ImageSet;
import org.junit.jupiter.api.Test;

/** The batch sources give the shapes the steps expect, and the same seed gives the same batches. */
class BatchSourcesTest {
    static ImageSet images() {
        int n = 12;
        float[] px = new float[n * 4 * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 16; j++) {
                px[i * 16 + j] = (i * 16 + j) / 200f;
            }
        }
        return new ImageSet(px, y, 4, 4);
    }

    /** A view: the image plus Gaussian noise of the view's own generator. */
    static BatchSource.StepBatch twoViews(NDManager m, long seed) {
        TwoViewBatches source = new TwoViewBatches(images(), 5, seed, (x, random) -> {
            float[] noise = new float[16];
            for (int i = 0; i < 16; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            return x.add(x.getManager().create(noise, x.getShape()));
        });
        source.next(m);
        return source.next(m);
    }

    @Test
    void twoViewsAreSeededAndShaped() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchSource.StepBatch a = twoViews(m, 3);
            BatchSource.StepBatch b = twoViews(m, 3);
            assertEquals(new Shape(5, 1, 4, 4), a.data().get(0).getShape());
            assertEquals(new Shape(5, 1, 4, 4), a.data().get(1).getShape());
            assertArrayEquals(a.data().get(0).toFloatArray(), b.data().get(0).toFloatArray(), 0f);
            assertArrayEquals(a.data().get(1).toFloatArray(), b.data().get(1).toFloatArray(), 0f);
            assertFalse(Arrays.equals(a.data().get(0).toFloatArray(), a.data().get(1).toFloatArray()), "the two views differ");
            assertFalse(Arrays.equals(a.data().get(0).toFloatArray(), twoViews(m, 4).data().get(0).toFloatArray()), "another seed, other views");
        }
    }

    @Test
    void labelledAndNoiseBatchesAreSeededAndShaped() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchSource.StepBatch a = new LabelledBatches(images(), 3, 2, 9).next(m);
            assertEquals(new Shape(6, 1, 4, 4), a.data().head().getShape());
            int[] y = a.labels().head().toIntArray();
            assertEquals(y[0], y[1]);
            assertEquals(y[2], y[3]);
            assertArrayEquals(y, new LabelledBatches(images(), 3, 2, 9).next(m).labels().head().toIntArray());
            BatchSource.StepBatch z = new NoiseBatches(new Shape(512, 256), 1).next(m);
            assertEquals(new Shape(512, 256), z.data().head().getShape());
            assertEquals(0, z.labels().size());
            float[] v = z.data().head().toFloatArray();
            double mean = 0;
            double sq = 0;
            for (float f : v) {
                mean += f;
                sq += f * f;
            }
            mean /= v.length;
            assertEquals(0, mean, 0.01, "standard normal");
            assertEquals(1, sq / v.length, 0.02, "standard normal");
            assertArrayEquals(v, new NoiseBatches(new Shape(512, 256), 1).next(m).data().head().toFloatArray(), 0f);
        }
    }
}
