package org.embreg.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Generated IDX files and MNIST-layout directories for tests. */
public final class MnistFixture {
    private MnistFixture() {}

    /** An IDX file of count images of h x w with pixel (n, r, c) = n + r + c, or labels n % 10 when h == 0. */
    public static byte[] idx(int count, int h, int w) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        if (h == 0) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            for (int n = 0; n < count; n++) {
                out.writeByte(n % 10);
            }
        } else {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(h);
            out.writeInt(w);
            for (int n = 0; n < count; n++) {
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        out.writeByte(n + r + c);
                    }
                }
            }
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(raw);
        }
        return b.toByteArray();
    }

    /** Writes a small MNIST-layout directory: 40 train and 20 test images of 8 x 8, labels n % 10. */
    public static void writeMnistLayout(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(40, 8, 8)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(40, 0, 0)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idx(20, 8, 8));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(20, 0, 0));
    }

}
