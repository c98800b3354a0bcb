package org.embreg.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.embreg.EmbregException;

/**
 * Reads NumPy .npy files (format versions 1-3): 2-D float32/float64 matrices and 1-D integer label
 * vectors, little or big endian, C or Fortran order. Every problem is an {@link EmbregException}
 * naming the file.
 */
public final class NpyReader {
    private NpyReader() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** A parsed array: its element type code (like "f4"), byte order, shape and raw data. */
    record Raw(char kind, int itemSize, ByteOrder order, boolean fortran, long[] shape, ByteBuffer data) {}

    /** Reads a 2-D float32 or float64 array. */
    public static Matrix readMatrix(Path file) {
        Raw raw = read(file);
        if (raw.shape.length != 2) {
            throw new EmbregException(file + ": expected a 2-D array (rows x dim), got shape " + shapeText(raw.shape));
        }
        if (raw.kind != 'f' || (raw.itemSize != 4 && raw.itemSize != 8)) {
            throw new EmbregException(file + ": unsupported dtype " + raw.kind + raw.itemSize + "; embeddings must be float32 or float64");
        }
        int rows = Math.toIntExact(raw.shape[0]);
        int cols = Math.toIntExact(raw.shape[1]);
        float[] out = new float[rows * cols];
        ByteBuffer b = raw.data.order(raw.order);
        for (int i = 0; i < out.length; i++) {
            float v = raw.itemSize == 4 ? b.getFloat() : (float) b.getDouble();
            int dest = raw.fortran ? (i % rows) * cols + i / rows : i;
            out[dest] = v;
        }
        return new Matrix(out, rows, cols);
    }

    /** Reads a 1-D integer array (int8/16/32/64, uint8/16/32), or a float array of whole numbers. */
    public static int[] readLabels(Path file) {
        Raw raw = read(file);
        boolean column = raw.shape.length == 2 && raw.shape[1] == 1;
        if (raw.shape.length != 1 && !column) {
            throw new EmbregException(file + ": labels must be a 1-D array, got shape " + shapeText(raw.shape));
        }
        int n = Math.toIntExact(raw.shape[0]);
        int[] out = new int[n];
        ByteBuffer b = raw.data.order(raw.order);
        for (int i = 0; i < n; i++) {
            long v;
            switch (raw.kind) {
                case 'i' -> v = switch (raw.itemSize) {
                    case 1 -> b.get();
                    case 2 -> b.getShort();
                    case 4 -> b.getInt();
                    case 8 -> b.getLong();
                    default -> throw unsupportedLabels(file, raw);
                };
                case 'u' -> v = switch (raw.itemSize) {
                    case 1 -> b.get() & 0xFF;
                    case 2 -> b.getShort() & 0xFFFF;
                    case 4 -> b.getInt() & 0xFFFFFFFFL;
                    default -> throw unsupportedLabels(file, raw);
                };
                case 'f' -> {
                    double f = raw.itemSize == 4 ? b.getFloat() : raw.itemSize == 8 ? b.getDouble() : Double.NaN;
                    if (f != Math.rint(f) || Double.isNaN(f)) {
                        throw new EmbregException(file + ": label " + i + " is " + f + "; labels must be whole numbers");
                    }
                    v = (long) f;
                }
                default -> throw unsupportedLabels(file, raw);
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new EmbregException(file + ": label " + i + " (" + v + ") does not fit in an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static EmbregException unsupportedLabels(Path file, Raw raw) {
        return new EmbregException(file + ": unsupported label dtype " + raw.kind + raw.itemSize + "; use an integer type");
    }

    static Raw read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new EmbregException(file + ": no such file");
        } catch (IOException e) {
            throw new EmbregException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length < 10) {
            throw new EmbregException(file + ": not a .npy file (only " + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new EmbregException(file + ": not a .npy file (bad magic string)");
            }
        }
        int major = bytes[6];
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xFFFF;
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new EmbregException(file + ": truncated .npy header");
            }
            headerLen = bb.getInt(8);
            offset = 12;
        } else {
            throw new EmbregException(file + ": unsupported .npy format version " + major);
        }
        if (headerLen < 0 || offset + headerLen > bytes.length) {
            throw new EmbregException(file + ": truncated .npy header (declares " + headerLen + " bytes)");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new EmbregException(file + ": corrupt .npy header: " + header.trim());
        }
        String descr = d.group(1);
        if (descr.length() < 3) {
            throw new EmbregException(file + ": unsupported dtype '" + descr + "'");
        }
        char endian = descr.charAt(0);
        ByteOrder order = endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.charAt(1);
        int itemSize;
        try {
            itemSize = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new EmbregException(file + ": unsupported dtype '" + descr + "'");
        }
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(x -> {
            try {
                return Long.parseLong(x);
            } catch (NumberFormatException e) {
                throw new EmbregException(file + ": corrupt shape in .npy header: (" + s.group(1) + ")");
            }
        }).toArray();
        long count = 1;
        for (long x : shape) {
            if (x < 0) {
                throw new EmbregException(file + ": negative dimension in shape " + shapeText(shape));
            }
            count *= x;
        }
        int dataStart = offset + headerLen;
        long need = count * itemSize;
        if (bytes.length - dataStart < need) {
            throw new EmbregException(file + ": truncated: shape " + shapeText(shape) + " of " + descr + " needs " + need
                    + " data bytes but the file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) need).slice();
        return new Raw(kind, itemSize, order, f.group(1).equals("True"), shape, data);
    }

    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
