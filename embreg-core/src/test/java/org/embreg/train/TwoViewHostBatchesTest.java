package org.embreg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.embreg.data.GrayscaleAugmentation;
import org.embreg.data.ImageSet;
import org.junit.jupiter.api.Test;

/** Two views made on the host: shapes, one augmentation per view, and the same views from the same seed. */
class TwoViewHostBatchesTest {
    private static ImageSet images() {
        float[] px = new float[20 * 64];
        int[] labels = new int[20];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 97) / 96f;
        }
        for (int i = 0; i < 20; i++) {
            labels[i] = i % 4;
        }
        return new ImageSet(px, labels, 8, 8);
    }

    @Test
    void eachViewHasItsAugmentationAndTheSeedFixesThem() {
        ImageSet set = images();
        GrayscaleAugmentation identity = new GrayscaleAugmentation(1, 1, 0, 0, 0, 0, 0, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            TwoViewBatches a = new TwoViewBatches(set, 6, 3, identity, GrayscaleAugmentation.vicregSecond());
            TwoViewBatches b = new TwoViewBatches(set, 6, 3, identity, GrayscaleAugmentation.vicregSecond());
            for (int step = 0; step < 5; step++) {
                BatchSource.StepBatch x = a.next(m);
                BatchSource.StepBatch y = b.next(m);
                assertEquals(new Shape(6, 1, 8, 8), x.data().get(0).getShape());
                assertEquals(new Shape(6, 1, 8, 8), x.data().get(1).getShape());
                assertArrayEquals(x.data().get(1).toFloatArray(), y.data().get(1).toFloatArray());
                // view 0 is the identity: its images are the source's, found by label order
                float[] v0 = x.data().get(0).toFloatArray();
                int[] labels = x.labels().get(0).toIntArray();
                for (int k = 0; k < 6; k++) {
                    float[] img = Arrays.copyOfRange(v0, k * 64, (k + 1) * 64);
                    boolean found = false;
                    for (int i = 0; i < 20 && !found; i++) {
                        found = set.labels()[i] == labels[k] && Arrays.equals(img, Arrays.copyOfRange(set.pixels(), i * 64, (i + 1) * 64));
                    }
                    assertEquals(true, found, "view 0 of row " + k + " is an unchanged source image of its label");
                }
                assertFalse(Arrays.equals(v0, x.data().get(1).toFloatArray()));
            }
        }
    }
}
