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

    /**
     * A seeded sample of {@code n} images (all of them if there are no more) drawn across the
     * classes in proportion to their sizes (each class gets its share rounded down, and the
     * images left over go to the classes with the largest remainders, ties to the smaller label),
     * in their original order. The same seed gives the same sample.
     */
    public ImageSet sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample size must be >= 0, got " + n);
        }
        if (n >= size()) {
            return this;
        }
        java.util.TreeMap<Integer, java.util.List<Integer>> byClass = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new java.util.ArrayList<>()).add(i);
        }
        java.util.List<Integer> classes = new java.util.ArrayList<>(byClass.keySet());
        int[] take = new int[classes.size()];
        double[] remainder = new double[classes.size()];
        int given = 0;
        for (int c = 0; c < take.length; c++) {
            double share = (double) n * byClass.get(classes.get(c)).size() / size();
            take[c] = (int) Math.floor(share);
            remainder[c] = share - take[c];
            given += take[c];
        }
        Integer[] order = new Integer[take.length];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(remainder[b], remainder[a]));
        for (int k = 0; given < n; k++, given++) {
            take[order[k % order.length]]++;
        }
        java.util.Random random = new java.util.Random(seed);
        java.util.List<Integer> chosen = new java.util.ArrayList<>(n);
        for (int c = 0; c < take.length; c++) {
            java.util.List<Integer> members = new java.util.ArrayList<>(byClass.get(classes.get(c)));
            java.util.Collections.shuffle(members, random);
            chosen.addAll(members.subList(0, Math.min(take[c], members.size())));
        }
        java.util.Collections.sort(chosen);
        int px = height * width;
        float[] p = new float[chosen.size() * px];
        int[] l = new int[chosen.size()];
        for (int k = 0; k < l.length; k++) {
            int i = chosen.get(k);
            System.arraycopy(pixels, i * px, p, k * px, px);
            l[k] = labels[i];
        }
        return new ImageSet(p, l, height, width);
    }

    /** Number of distinct labels. */
    public int classCount() {
        return (int) java.util.Arrays.stream(labels).distinct().count();
    }
}
