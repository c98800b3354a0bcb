package org.embreg.data;

import static org.embreg.testing.NpyFixture.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.embreg.EmbregException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsFloat32AndInt64() throws Exception {
        Matrix m = new Matrix(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        NpyWriter.write(dir.resolve("e.npy"), m);
        NpyWriter.writeLabels(dir.resolve("y.npy"), new int[] {3, -1});
        Matrix back = NpyReader.readMatrix(dir.resolve("e.npy"));
        assertEquals(2, back.rows());
        assertArrayEquals(m.data(), back.data());
        assertArrayEquals(new int[] {3, -1}, NpyReader.readLabels(dir.resolve("y.npy")));
    }

    /** Pieces of rows (what each Spark task reads) equal the whole file's rows; float64 big-endian included; Fortran order refused by name. */
    @Test
    void readsPiecesOfRowsAndLabels() throws Exception {
        ByteBuffer be = ByteBuffer.allocate(8 * 3 * 8).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 24; i++) {
            be.putDouble(i * 0.5 - 3);
        }
        Path f = dir.resolve("be.npy");
        Files.write(f, npy(">f8", false, "(8, 3)", be.array()));
        Matrix whole = NpyReader.readMatrix(f);
        assertArrayEquals(new long[] {8, 3}, NpyReader.shape(f));
        Matrix piece = NpyReader.readRows(f, 5, 3);
        assertArrayEquals(Arrays.copyOfRange(whole.data(), 15, 24), piece.data());
        assertEquals(0, NpyReader.readRows(f, 8, 0).rows());
        assertThrows(IllegalArgumentException.class, () -> NpyReader.readRows(f, 6, 3));
        NpyWriter.writeLabels(dir.resolve("y.npy"), new int[] {4, 5, 6, 7, 8});
        assertArrayEquals(new int[] {6, 7}, NpyReader.readLabelRows(dir.resolve("y.npy"), 2, 2));
        Files.write(dir.resolve("fortran.npy"), npy("<f4", true, "(2, 2)", new byte[16]));
        assertMessage(dir.resolve("fortran.npy"), "Fortran-ordered", () -> NpyReader.readRows(dir.resolve("fortran.npy"), 0, 1));
        byte[] full = npy("<f4", false, "(4, 4)", new byte[64]);
        Files.write(dir.resolve("cut.npy"), Arrays.copyOf(full, full.length - 5));
        assertMessage(dir.resolve("cut.npy"), "truncated", () -> NpyReader.shape(dir.resolve("cut.npy")));
    }

    @Test
    void readsFloat64BigEndianAndFortranOrder() throws Exception {
        ByteBuffer be = ByteBuffer.allocate(6 * 8).order(ByteOrder.BIG_ENDIAN);
        for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
            be.putDouble(v);
        }
        Files.write(dir.resolve("f.npy"), npy(">f8", true, "(2, 3)", be.array()));
        Matrix m = NpyReader.readMatrix(dir.resolve("f.npy"));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.data());
    }

    @Test
    void badFilesGiveMessagesNamingTheFile() throws Exception {
        Path truncated = dir.resolve("t.npy");
        byte[] full = npy("<f4", false, "(4, 4)", new byte[64]);
        Files.write(truncated, Arrays.copyOf(full, full.length - 5));
        assertMessage(truncated, "truncated", () -> NpyReader.readMatrix(truncated));
        Path garbage = dir.resolve("g.npy");
        Files.write(garbage, "hello, world".getBytes(StandardCharsets.UTF_8));
        assertMessage(garbage, "magic", () -> NpyReader.readMatrix(garbage));
        Path ints = dir.resolve("i.npy");
        Files.write(ints, npy("<i4", false, "(2, 2)", new byte[16]));
        assertMessage(ints, "float32 or float64", () -> NpyReader.readMatrix(ints));
        Path vector = dir.resolve("v.npy");
        Files.write(vector, npy("<f4", false, "(4,)", new byte[16]));
        assertMessage(vector, "2-D", () -> NpyReader.readMatrix(vector));
        assertMessage(dir.resolve("none.npy"), "no such file", () -> NpyReader.readMatrix(dir.resolve("none.npy")));
        Path complexLabels = dir.resolve("c.npy");
        Files.write(complexLabels, npy("<c8", false, "(2,)", new byte[16]));
        assertMessage(complexLabels, "dtype", () -> NpyReader.readLabels(complexLabels));
        Path header = dir.resolve("h.npy");
        Files.write(header, Arrays.copyOf(full, 30));
        assertMessage(header, "truncated", () -> NpyReader.readMatrix(header));
    }

    @Test
    void shapesThatOverflowAreNamed() throws Exception {
        Path huge = dir.resolve("huge.npy");
        Files.write(huge, npy("<f4", false, "(9223372036854775807, 2)", new byte[8]));
        assertMessage(huge, "(9223372036854775807, 2)", () -> NpyReader.readMatrix(huge));
        Path longOverflow = dir.resolve("long.npy");
        Files.write(longOverflow, npy("<f4", false, "(4294967296, 4294967296)", new byte[8]));
        assertMessage(longOverflow, "(4294967296, 4294967296)", () -> NpyReader.readMatrix(longOverflow));
        Path intOverflow = dir.resolve("int.npy");
        Files.write(intOverflow, npy("<f4", false, "(65536, 65536)", new byte[8]));
        assertMessage(intOverflow, "(65536, 65536)", () -> NpyReader.readMatrix(intOverflow));
        assertMessage(intOverflow, "at most 2147483639", () -> NpyReader.readMatrix(intOverflow));
        Path beyondLong = dir.resolve("beyond.npy");
        Files.write(beyondLong, npy("<f4", false, "(99999999999999999999, 2)", new byte[8]));
        assertMessage(beyondLong, "99999999999999999999", () -> NpyReader.readMatrix(beyondLong));
        Path labels = dir.resolve("labels.npy");
        Files.write(labels, npy("<i8", false, "(9223372036854775807,)", new byte[8]));
        assertMessage(labels, "(9223372036854775807,)", () -> NpyReader.readLabels(labels));
    }

    @Test
    void aResultLargerThanTheMemoryLimitIsRefusedBeforeItIsAllocated() throws Exception {
        NpyWriter.write(dir.resolve("e.npy"), new Matrix(new float[40 * 10], 40, 10));
        Path e = dir.resolve("e.npy");
        assertMessage(e, "EMBREG_JAVA_OPTS=-Xmx", () -> NpyReader.readMatrix(e, 1000));
        assertMessage(e, "1600 bytes", () -> NpyReader.readMatrix(e, 1000));
        assertEquals(40, NpyReader.readMatrix(e, 1600).rows());
        NpyWriter.writeLabels(dir.resolve("y.npy"), new int[300]);
        Path y = dir.resolve("y.npy");
        assertMessage(y, "-Xmx", () -> NpyReader.readLabels(y, 1000));
    }

    @Test
    void devicesAndDirectoriesAreRefusedWithoutReading() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero));
        assertMessage(zero, "not a regular file", () -> NpyReader.readMatrix(zero));
        assertMessage(zero, "not a regular file", () -> NpyReader.readLabels(zero));
        assertMessage(dir, "directory", () -> NpyReader.readMatrix(dir));
    }

    @Test
    void zeroColumnsAreRefused() throws Exception {
        Path empty = dir.resolve("empty.npy");
        Files.write(empty, npy("<f4", false, "(5, 0)", new byte[0]));
        assertMessage(empty, "(5, 0) has no columns", () -> NpyReader.readMatrix(empty));
    }

    @Test
    void labelsMustBeWholeNumbersThatFitAnInt() throws Exception {
        double[][] bad = {{0, Double.POSITIVE_INFINITY}, {Double.NaN, 1}, {1e300, 2}, {0.5, 1}, {0, -3e9}};
        for (double[] values : bad) {
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(values[0]).putDouble(values[1]);
            Path y = dir.resolve("y.npy");
            Files.write(y, npy("<f8", false, "(2,)", b.array()));
            assertMessage(y, "whole numbers that fit in an int", () -> NpyReader.readLabels(y));
        }
        ByteBuffer big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(-1);
        Path u = dir.resolve("u.npy");
        Files.write(u, npy("<u8", false, "(2,)", big.array()));
        assertMessage(u, "18446744073709551615", () -> NpyReader.readLabels(u));
        ByteBuffer ok = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(-2).putFloat(7);
        Files.write(u, npy("<f4", false, "(2, 1)", ok.array()));
        assertArrayEquals(new int[] {-2, 7}, NpyReader.readLabels(u));
    }

    @Test
    void readsMoreThanOneChunkInFortranOrder() throws Exception {
        int rows = 1000;
        int cols = 37;
        ByteBuffer b = ByteBuffer.allocate(rows * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                b.putDouble(r * 100 + c);
            }
        }
        Path f = dir.resolve("big.npy");
        Files.write(f, npy("<f8", true, "(" + rows + ", " + cols + ")", b.array()));
        Matrix m = NpyReader.readMatrix(f);
        assertEquals(rows * 100 - 100 + 36, m.get(rows - 1, cols - 1));
        assertEquals(512 * 100 + 3, m.get(512, 3));
    }

    static void assertMessage(Path file, String fragment, org.junit.jupiter.api.function.Executable e) {
        EmbregException ex = assertThrows(EmbregException.class, e);
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }
}
