package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    static byte[] npy(String descr, boolean fortran, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

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

    static void assertMessage(Path file, String fragment, org.junit.jupiter.api.function.Executable e) {
        EmbregException ex = assertThrows(EmbregException.class, e);
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains(fragment), ex.getMessage());
    }
}
