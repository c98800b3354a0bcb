package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** VICReg's augmentations on one-channel images: shapes, ranges, seeds, and each operation on a known image. */
class GrayscaleAugmentationTest {
    private static float[] gradient(int h, int w) {
        float[] x = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                x[r * w + c] = (float) (r * w + c) / (h * w - 1);
            }
        }
        return x;
    }

    @Test
    void viewsKeepTheShapeAndRangeAndRepeatBySeed() {
        float[] image = gradient(28, 28);
        float[] copy = image.clone();
        for (GrayscaleAugmentation a : new GrayscaleAugmentation[] {GrayscaleAugmentation.vicregFirst(), GrayscaleAugmentation.vicregSecond()}) {
            for (long seed = 0; seed < 50; seed++) {
                float[] v = a.apply(image, 28, 28, new Random(seed));
                assertEquals(28 * 28, v.length);
                for (float p : v) {
                    assertTrue(p >= 0 && p <= 1, "pixel " + p);
                }
                assertArrayEquals(v, a.apply(image, 28, 28, new Random(seed)), "seed " + seed);
            }
            assertFalse(Arrays.equals(a.apply(image, 28, 28, new Random(1)), a.apply(image, 28, 28, new Random(2))));
        }
        assertArrayEquals(copy, image, "the input is not modified");
    }

    @Test
    void withEveryOperationOffAViewIsTheImage() {
        GrayscaleAugmentation none = new GrayscaleAugmentation(1.0, 1.0, 0, 0, 0, 0, 0, 0);
        float[] image = gradient(8, 8);
        // a full-area crop has ratio 1 only when it is the whole square; the ten tries may find it, else the fallback is the whole image
        assertArrayEquals(image, none.apply(image, 8, 8, new Random(3)), 1e-6f);
    }

    @Test
    void flipMirrorsRowsAndSolarizationInvertsTheBrightHalf() {
        float[] image = gradient(4, 4);
        float[] flipped = new GrayscaleAugmentation(1.0, 1.0, 1, 0, 0, 0, 0, 0).apply(image, 4, 4, new Random(5));
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(image[r * 4 + 3 - c], flipped[r * 4 + c], 1e-6);
            }
        }
        float[] solarized = new GrayscaleAugmentation(1.0, 1.0, 0, 0, 0, 0, 0, 1).apply(image, 4, 4, new Random(5));
        for (int i = 0; i < 16; i++) {
            assertEquals(image[i] >= 0.5f ? 1 - image[i] : image[i], solarized[i], 1e-6);
        }
    }

    @Test
    void blurKeepsAConstantImageAndSpreadsAPoint() {
        float[] flat = new float[36];
        Arrays.fill(flat, 0.4f);
        assertArrayEquals(flat, GrayscaleAugmentation.blur(flat, 6, 6, 1.3), 1e-6f);
        float[] point = new float[49];
        point[24] = 1;
        float[] b = GrayscaleAugmentation.blur(point, 7, 7, 1.0);
        double sum = 0;
        for (float v : b) {
            sum += v;
        }
        assertEquals(1.0, sum, 1e-5, "the kernel is normalized and the point is away from the edges");
        assertTrue(b[24] < 1 && b[23] > 0 && Math.abs(b[23] - b[25]) < 1e-7 && Math.abs(b[17] - b[31]) < 1e-7);
    }

    @Test
    void resizeOfACropSamplesBilinearly() {
        // a 2 x 2 crop of a 4 x 4 gradient, resized to 4 x 4: corners keep the crop's corner values
        float[] image = gradient(4, 4);
        float[] out = GrayscaleAugmentation.resize(image, 4, 1, 1, 2, 2, 4, 4);
        assertEquals(image[5], out[0], 1e-6);
        assertEquals(image[10], out[15], 1e-6);
        assertEquals((image[5] + image[6]) / 2, (out[1] + out[2]) / 2, 1e-6);
    }

    @Test
    void refusesMeaninglessSettings() {
        assertThrows(IllegalArgumentException.class, () -> new GrayscaleAugmentation(0, 1, 0.5, 0.8, 0.4, 0.4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayscaleAugmentation(0.5, 0.4, 0.5, 0.8, 0.4, 0.4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayscaleAugmentation(0.08, 1, 1.5, 0.8, 0.4, 0.4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new GrayscaleAugmentation(0.08, 1, 0.5, 0.8, 1.0, 0.4, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> GrayscaleAugmentation.vicregFirst().apply(new float[10], 3, 3, new Random(1)));
    }
}
