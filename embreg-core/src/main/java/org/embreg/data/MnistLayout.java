package org.embreg.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.embreg.EmbregException;

/**
 * A directory of IDX files in the MNIST layout: train-images-idx3-ubyte, train-labels-idx1-ubyte,
 * t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or with .gz.
 */
public final class MnistLayout {
    private MnistLayout() {}

    /** The four file stems. */
    public static final java.util.List<String> STEMS = java.util.List.of(
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** The file for a stem, raw or gzip, if present. */
    public static Optional<Path> find(Path dir, String stem) {
        for (String name : new String[] {stem, stem + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether all four files are present. */
    public static boolean isComplete(Path dir) {
        for (String stem : STEMS) {
            if (find(dir, stem).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Loads the training split. */
    public static ImageSet train(Path dir) {
        return load(dir, STEMS.get(0), STEMS.get(1));
    }

    /** Loads the test split. */
    public static ImageSet test(Path dir) {
        return load(dir, STEMS.get(2), STEMS.get(3));
    }

    private static ImageSet load(Path dir, String imageStem, String labelStem) {
        Path imageFile = find(dir, imageStem).orElseThrow(() -> new EmbregException(dir + ": missing " + imageStem + "[.gz]"));
        Path labelFile = find(dir, labelStem).orElseThrow(() -> new EmbregException(dir + ": missing " + labelStem + "[.gz]"));
        IdxReader.IdxArray images = IdxReader.read(imageFile);
        IdxReader.IdxArray labels = IdxReader.read(labelFile);
        if (images.dims().length != 3) {
            throw new EmbregException(imageFile + ": expected images of rank 3 (count, height, width), got rank " + images.dims().length);
        }
        if (labels.dims().length != 1) {
            throw new EmbregException(labelFile + ": expected labels of rank 1, got rank " + labels.dims().length);
        }
        if (images.count() != labels.count()) {
            throw new EmbregException(imageFile + " holds " + images.count() + " images but " + labelFile + " holds " + labels.count() + " labels");
        }
        int h = images.dims()[1];
        int w = images.dims()[2];
        if (h < 8 || h > 64 || w < 8 || w > 64) {
            throw new EmbregException(imageFile + ": images are " + h + " x " + w + "; sizes from 8 x 8 to 64 x 64 are supported");
        }
        return images(images.data(), labels.data(), h, w);
    }

    /** Images from IDX bytes, pixels scaled to [0, 1] as every embreg network is trained on them, with their byte labels. */
    public static ImageSet images(byte[] pixels, byte[] labels, int h, int w) {
        float[] px = new float[pixels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (pixels[i] & 0xFF) / 255f;
        }
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i] & 0xFF;
        }
        return new ImageSet(px, y, h, w);
    }
}
