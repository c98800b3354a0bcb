package org.embreg.data;

import static org.embreg.data.NpyReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.embreg.testing.MnistFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** The same IDX bytes written raw ("a") and gzip-compressed ("a.gz"). */
    private Path[] rawAndGzip(byte[] raw) throws Exception {
        Files.write(dir.resolve("a"), raw);
        Files.write(dir.resolve("a.gz"), MnistFixture.gzip(raw));
        return new Path[] {dir.resolve("a"), dir.resolve("a.gz")};
    }

    @Test
    void readsRawAndGzip() throws Exception {
        for (Path file : rawAndGzip(MnistFixture.idx(3, 8, 9))) {
            IdxReader.IdxArray a = IdxReader.read(file);
            assertArrayEquals(new int[] {3, 8, 9}, a.dims());
            assertEquals(2 + 1 + 1, a.data()[2 * 72 + 9 + 1]);
        }
    }

    /** Slices (what each Spark task of embed reads) equal the whole array's items, raw and gzip; a slice past the end is refused. */
    @Test
    void slicesRawAndGzip() throws Exception {
        byte[] raw = MnistFixture.idx(7, 4, 5);
        for (Path file : rawAndGzip(raw)) {
            IdxReader.IdxArray whole = IdxReader.read(file);
            IdxReader.IdxArray s = IdxReader.slice(file, 4, 3);
            assertArrayEquals(new int[] {7, 4, 5}, s.dims());
            assertArrayEquals(Arrays.copyOfRange(whole.data(), 4 * 20, 7 * 20), s.data());
            assertArrayEquals(new int[] {7, 4, 5}, IdxReader.dims(file));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> IdxReader.slice(file, 5, 3));
        }
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 10));
        assertMessage(cut, "truncated", () -> IdxReader.slice(cut, 6, 1));
    }

    @Test
    void loadsAnMnistLayout() throws Exception {
        MnistFixture.writeMnistLayout(dir);
        ImageSet train = MnistLayout.train(dir);
        assertEquals(40, train.size());
        assertEquals(8, train.height());
        assertEquals(3, train.labels()[13]);
        assertEquals(5 / 255f, train.pixels()[64 + 4], 1e-7);
        assertEquals(20, MnistLayout.test(dir).size());
    }

    @Test
    void truncatedAndCorruptFilesAreNamed() throws Exception {
        byte[] raw = MnistFixture.idx(3, 8, 8);
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 10));
        assertMessage(cut, "truncated", () -> IdxReader.read(cut));
        byte[] gz = MnistFixture.gzip(raw);
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
        MnistFixture.writeMnistLayout(mismatch);
        Files.write(mismatch.resolve("t10k-labels-idx1-ubyte"), MnistFixture.idx(19, 0, 0));
        assertMessage(mismatch.resolve("t10k-labels-idx1-ubyte"), "19 labels", () -> MnistLayout.test(mismatch));
    }
}
