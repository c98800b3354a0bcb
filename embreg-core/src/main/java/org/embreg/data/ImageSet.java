package org.embreg.data;

/**
 * Grayscale images with integer labels on the host, pixels scaled to [0, 1].
 *
 * @param pixels count * height * width values, image by image
 * @param labels one per image
 * @param height image height
 * @param width image width
 */
public record ImageSet(float[] pixels, int[] labels, int height, int width) {
    public ImageSet {
        if ((long) labels.length * height * width != pixels.length) {
            throw new IllegalArgumentException(labels.length + " images of " + height + " x " + width + " need "
                    + ((long) labels.length * height * width) + " pixels, got " + pixels.length);
        }
    }

    public int size() {
        return labels.length;
    }

    /** The images whose label lies in [fromClass, toClass). */
    public ImageSet classes(int fromClass, int toClass) {
        int n = 0;
        for (int y : labels) {
            n += y >= fromClass && y < toClass ? 1 : 0;
        }
        int px = height * width;
        float[] p = new float[n * px];
        int[] l = new int[n];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= fromClass && labels[i] < toClass) {
                System.arraycopy(pixels, i * px, p, k * px, px);
                l[k++] = labels[i];
            }
        }
        return new ImageSet(p, l, height, width);
    }

    /** The first {@code n} images (or all, if fewer). */
    public ImageSet head(int n) {
        int m = Math.min(n, size());
        int px = height * width;
        return new ImageSet(java.util.Arrays.copyOf(pixels, m * px), java.util.Arrays.copyOf(labels, m), height, width);
    }

    /** Number of distinct labels. */
    public int classCount() {
        return (int) java.util.Arrays.stream(labels).distinct().count();
    }
}
