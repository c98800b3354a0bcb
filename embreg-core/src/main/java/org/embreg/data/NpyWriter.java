package org.embreg.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes .npy files (version 1.0, little endian, C order), atomically. */
public final class NpyWriter {
    private NpyWriter() {}

    /** Writes a float32 matrix. */
    public static void write(Path file, Matrix m) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : m.data()) {
            data.putFloat(v);
        }
        write(file, "<f4", "(" + m.rows() + ", " + m.cols() + ")", data.array());
    }

    /** Writes an int64 vector. */
    public static void writeLabels(Path file, int[] labels) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(labels.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : labels) {
            data.putLong(v);
        }
        write(file, "<i8", "(" + labels.length + ",)", data.array());
    }

    private static void write(Path file, String descr, String shape, byte[] data) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1));
        out.put(data);
        AtomicFiles.write(file, out.array());
    }
}
