package org.embreg.data;

import static org.embreg.data.NpyReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** An IDX file of count images of h x w with pixel (n, r, c) = n + r + c, or labels n % 10 when h == 0. */
    static byte[] idx(int count, int h, int w) throws Exception {
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

    static byte[] gzip(byte[] raw) throws Exception {
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

    @Test
    void readsRawAndGzip() throws Exception {
        byte[] raw = idx(3, 8, 9);
        Files.write(dir.resolve("a"), raw);
        Files.write(dir.resolve("a.gz"), gzip(raw));
        for (String name : new String[] {"a", "a.gz"}) {
            IdxReader.IdxArray a = IdxReader.read(dir.resolve(name));
            assertArrayEquals(new int[] {3, 8, 9}, a.dims());
            assertEquals(2 + 1 + 1, a.data()[2 * 72 + 9 + 1]);
        }
    }

    @Test
    void loadsAnMnistLayout() throws Exception {
        writeMnistLayout(dir);
        ImageSet train = MnistLayout.train(dir);
        assertEquals(40, train.size());
        assertEquals(8, train.height());
        assertEquals(3, train.labels()[13]);
        assertEquals(5 / 255f, train.pixels()[64 + 4], 1e-7);
        assertEquals(20, MnistLayout.test(dir).size());
    }

    @Test
    void truncatedAndCorruptFilesAreNamed() throws Exception {
        byte[] raw = idx(3, 8, 8);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 10));
        assertMessage(cut, "truncated", () -> IdxReader.read(cut));
        byte[] gz = gzip(raw);
        Path cutGz = dir.resolve("cut.gz");
        Files.write(cutGz, Arrays.copyOf(gz, gz.length / 2));
        assertMessage(cutGz, "truncated", () -> IdxReader.read(cutGz));
        Path bad = dir.resolve("bad");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertMessage(bad, "not an IDX file", () -> IdxReader.read(bad));
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertMessage(empty, "not an IDX file", () -> IdxReader.read(empty));
        Path mismatch = dir.resolve("m");
        writeMnistLayout(mismatch);
        Files.write(mismatch.resolve("t10k-labels-idx1-ubyte"), idx(19, 0, 0));
        assertMessage(mismatch.resolve("t10k-labels-idx1-ubyte"), "19 labels", () -> MnistLayout.test(mismatch));
    }
}
