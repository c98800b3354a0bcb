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

    @Test
    void skippingGivesWhatTheUninterruptedSourceGivesAtThatStep() {
        ImageSet set = images();
        try (NDManager m = NDManager.newBaseManager()) {
            // 20 images in batches of 6: three per pass, two leftover, so passes reshuffle at steps 3, 6, 9
            for (int skipped : new int[] {0, 2, 3, 7}) {
                TwoViewBatches walked = new TwoViewBatches(set, 6, 5, GrayscaleAugmentation.vicregFirst(), GrayscaleAugmentation.vicregSecond());
                for (int k = 0; k < skipped; k++) {
                    walked.next(m);
                }
                TwoViewBatches jumped = new TwoViewBatches(set, 6, 5, GrayscaleAugmentation.vicregFirst(), GrayscaleAugmentation.vicregSecond());
                jumped.skip(skipped);
                for (int k = 0; k < 4; k++) {
                    BatchSource.StepBatch x = walked.next(m);
                    BatchSource.StepBatch y = jumped.next(m);
                    assertArrayEquals(x.labels().get(0).toIntArray(), y.labels().get(0).toIntArray(), "skip " + skipped + ", step " + k);
                    for (int v = 0; v < 2; v++) {
                        assertArrayEquals(x.data().get(v).toFloatArray(), y.data().get(v).toFloatArray(), "skip " + skipped + ", view " + v);
                    }
                }
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> new TwoViewBatches(set, 6, 5, GrayscaleAugmentation.vicregFirst(), GrayscaleAugmentation.vicregSecond()).skip(-1));
        }
    }
}
