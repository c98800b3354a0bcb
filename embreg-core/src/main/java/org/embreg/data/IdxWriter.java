package org.embreg.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes the IDX format of MNIST (unsigned bytes, big-endian header), as {@link IdxReader} reads it. */
public final class IdxWriter {
    private IdxWriter() {}

    /**
     * The IDX bytes of images.
     *
     * @param pixels count x height x width bytes, row-major
     */
    public static byte[] images(byte[] pixels, int count, int height, int width) {
        if ((long) count * height * width != pixels.length) {
            throw new IllegalArgumentException(count + " images of " + height + " x " + width + " need " + ((long) count * height * width)
                    + " bytes, got " + pixels.length);
        }
        return write(0x00000803, new int[] {count, height, width}, pixels);
    }

    /** The IDX bytes of labels, each in [0, 255]. */
    public static byte[] labels(int[] labels) {
        byte[] b = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + ", outside [0, 255]");
            }
            b[i] = (byte) labels[i];
        }
        return write(0x00000801, new int[] {labels.length}, b);
    }

    private static byte[] write(int magic, int[] dims, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + data.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
