package org.embreg.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.embreg.EmbregException;

/**
 * Reads NumPy .npy files (format versions 1-3): 2-D float32/float64 matrices and 1-D integer label
 * vectors, little or big endian, C or Fortran order. Every problem is an {@link EmbregException}
 * naming the file.
 *
 * <p>Only what the header declares is read, in chunks straight into the result array: the memory
 * needed is the result (4 bytes a value), which is checked against the JVM's maximum heap before it
 * is allocated. A shape whose element count overflows, or exceeds what one Java array holds, is
 * refused naming the shape; so is a device or a pipe (it may have no end).
 */
public final class NpyReader {
    private NpyReader() {}

    /** The magic string every .npy file starts with. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Whether bytes begin with numpy's magic string. */
    static boolean startsWithMagic(byte[] start) {
        return start.length >= MAGIC.length && java.util.Arrays.equals(java.util.Arrays.copyOf(start, MAGIC.length), MAGIC);
    }

    /** The length of numpy's magic string. */
    static int magicLength() {
        return MAGIC.length;
    }

    /** Header dictionaries longer than this are taken as corrupt (NumPy itself writes well under 1 KiB). */
    private static final int MAX_HEADER = 1 << 20;

    private static final int CHUNK = 1 << 16;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * A parsed header.
     *
     * @param kind the element kind of the dtype: 'f', 'i', 'u', ...
     * @param itemSize bytes per element
     * @param count elements, the product of the shape; at most {@link InputFile#MAX_ARRAY}
     * @param dataStart the offset of the first element
     */
    private record Header(String descr, char kind, int itemSize, ByteOrder order, boolean fortran, long[] shape, long count, long dataStart) {
        String shapeText() {
            return NpyReader.shapeText(shape);
        }
    }

    /** Reads a 2-D float32 or float64 array. */
    public static Matrix readMatrix(Path file) {
        return readMatrix(file, Runtime.getRuntime().maxMemory());
    }

    /** Reads a 1-D integer array (int8/16/32/64, uint8/16/32/64), or a float array of whole numbers. */
    public static int[] readLabels(Path file) {
        return readLabels(file, Runtime.getRuntime().maxMemory());
    }

    /**
     * The shape of a .npy file from its header (checked as {@link #readMatrix} checks it, the data's
     * length included), for reading it in pieces: arrays of any size, as long as each piece fits.
     */
    public static long[] shape(Path file) {
        InputFile in = InputFile.of(file, Long.MAX_VALUE);
        try (FileChannel ch = in.openChannel()) {
            return header(in, ch, false).shape.clone();
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /**
     * Rows {@code from .. from + count} of a 2-D float32/float64 array in C order (one piece of a
     * file larger than one Java array, read where it lies).
     */
    public static Matrix readRows(Path file, long from, int count) {
        InputFile in = InputFile.of(file, Long.MAX_VALUE);
        try (FileChannel ch = in.openChannel()) {
            Header h = header(in, ch, false);
            if (h.shape.length != 2 || h.kind != 'f' || (h.itemSize != 4 && h.itemSize != 8) || h.shape[1] == 0) {
                throw new EmbregException(file + ": expected a 2-D float32 or float64 array with columns, got " + h.descr + " of shape "
                        + h.shapeText());
            }
            if (h.fortran) {
                throw new EmbregException(file + ": Fortran-ordered arrays are read whole only; save it in C order (numpy.ascontiguousarray)");
            }
            checkRange(file, h, from, count);
            int cols = (int) h.shape[1];
            ByteBuffer b = readFully(in, ch, h.dataStart + from * cols * h.itemSize, count * cols * h.itemSize).order(h.order);
            float[] out = new float[count * cols];
            for (int i = 0; i < out.length; i++) {
                out[i] = h.itemSize == 4 ? b.getFloat() : (float) b.getDouble();
            }
            return new Matrix(out, count, cols);
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /** Labels {@code from .. from + count} of a 1-D (or n x 1) label array, as {@link #readLabels} reads them. */
    public static int[] readLabelRows(Path file, long from, int count) {
        InputFile in = InputFile.of(file, Long.MAX_VALUE);
        try (FileChannel ch = in.openChannel()) {
            Header h = header(in, ch, false);
            if (!(h.shape.length == 1 || h.shape.length == 2 && h.shape[1] == 1) || !(h.kind == 'i' || h.kind == 'u' || h.kind == 'f')) {
                throw new EmbregException(file + ": labels must be a 1-D integer array, got " + h.descr + " of shape " + h.shapeText());
            }
            checkRange(file, h, from, count);
            ByteBuffer b = readFully(in, ch, h.dataStart + from * h.itemSize, count * h.itemSize).order(h.order);
            int[] out = new int[count];
            for (int i = 0; i < count; i++) {
                out[i] = label(file, (int) Math.min(Integer.MAX_VALUE, from + i), h, b);
            }
            return out;
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    private static void checkRange(Path file, Header h, long from, int count) {
        if (from < 0 || count < 0 || from + count > h.shape[0] || (long) count * (h.shape.length == 2 ? h.shape[1] : 1) * h.itemSize > InputFile.MAX_ARRAY) {
            throw new IllegalArgumentException(file + ": rows " + from + " .. " + (from + count) + " are not a readable piece of shape " + h.shapeText());
        }
    }

    /** {@link #readMatrix(Path)} allocating at most {@code memoryLimit} bytes for the result. */
    static Matrix readMatrix(Path file, long memoryLimit) {
        InputFile in = InputFile.of(file, memoryLimit);
        try (FileChannel ch = in.openChannel()) {
            Header h = header(in, ch);
            if (h.shape.length != 2) {
                throw new EmbregException(file + ": expected a 2-D array (rows x dim), got shape " + h.shapeText());
            }
            if (h.kind != 'f' || (h.itemSize != 4 && h.itemSize != 8)) {
                throw new EmbregException(file + ": unsupported dtype " + h.kind + h.itemSize + "; embeddings must be float32 or float64");
            }
            if (h.shape[1] == 0) {
                throw new EmbregException(file + ": shape " + h.shapeText() + " has no columns");
            }
            int rows = (int) h.shape[0];
            int cols = (int) h.shape[1];
            in.requireMemory(4L * h.count, "shape " + h.shapeText() + " as float32");
            float[] out = allocateFloats(in, (int) h.count);
            Elements data = new Elements(in, ch, h);
            int i = 0;
            while (i < h.count) {
                ByteBuffer b = data.next();
                while (b.hasRemaining()) {
                    float v = h.itemSize == 4 ? b.getFloat() : (float) b.getDouble();
                    out[h.fortran ? (i % rows) * cols + i / rows : i] = v;
                    i++;
                }
            }
            return new Matrix(out, rows, cols);
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /** {@link #readLabels(Path)} allocating at most {@code memoryLimit} bytes for the result. */
    static int[] readLabels(Path file, long memoryLimit) {
        InputFile in = InputFile.of(file, memoryLimit);
        try (FileChannel ch = in.openChannel()) {
            Header h = header(in, ch);
            boolean column = h.shape.length == 2 && h.shape[1] == 1;
            if (h.shape.length != 1 && !column) {
                throw new EmbregException(file + ": labels must be a 1-D array, got shape " + h.shapeText());
            }
            boolean supported = switch (h.kind) {
                case 'i', 'u' -> h.itemSize == 1 || h.itemSize == 2 || h.itemSize == 4 || h.itemSize == 8;
                case 'f' -> h.itemSize == 4 || h.itemSize == 8;
                default -> false;
            };
            if (!supported) {
                throw new EmbregException(file + ": unsupported label dtype " + h.kind + h.itemSize + "; use an integer type");
            }
            in.requireMemory(4L * h.count, h.count + " labels");
            int[] out = new int[(int) h.count];
            Elements data = new Elements(in, ch, h);
            int i = 0;
            while (i < h.count) {
                ByteBuffer b = data.next();
                while (b.hasRemaining()) {
                    out[i] = label(file, i, h, b);
                    i++;
                }
            }
            return out;
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
    }

    /** The next label from {@code b}, which must be a whole number that fits in an int. */
    private static int label(Path file, int index, Header h, ByteBuffer b) {
        if (h.kind == 'f') {
            double f = h.itemSize == 4 ? b.getFloat() : b.getDouble();
            if (f != Math.rint(f) || f < Integer.MIN_VALUE || f > Integer.MAX_VALUE) {
                throw new EmbregException(file + ": label " + index + " is " + f + "; labels must be whole numbers that fit in an int");
            }
            return (int) f;
        }
        boolean unsigned = h.kind == 'u';
        long v = switch (h.itemSize) {
            case 1 -> unsigned ? b.get() & 0xFF : b.get();
            case 2 -> unsigned ? b.getShort() & 0xFFFF : b.getShort();
            case 4 -> unsigned ? b.getInt() & 0xFFFFFFFFL : b.getInt();
            default -> b.getLong();
        };
        boolean tooLarge = unsigned && h.itemSize == 8 && v < 0;
        if (tooLarge || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            String text = tooLarge ? Long.toUnsignedString(v) : Long.toString(v);
            throw new EmbregException(file + ": label " + index + " (" + text + ") does not fit in an int");
        }
        return (int) v;
    }

    private static float[] allocateFloats(InputFile in, int count) {
        try {
            return new float[count];
        } catch (OutOfMemoryError e) {
            throw in.outOfMemory(e);
        }
    }

    /** Reads and checks the header: magic, version, dtype, shape, and that the file holds the data it declares. */
    private static Header header(InputFile in, FileChannel ch) throws IOException {
        return header(in, ch, true);
    }

    /** @param whole whether the caller reads the whole array into one Java array (then its size is bounded) */
    private static Header header(InputFile in, FileChannel ch, boolean whole) throws IOException {
        Path file = in.path();
        long size = in.size();
        if (size < 10) {
            throw new EmbregException(file + ": not a .npy file (only " + size + " bytes)");
        }
        ByteBuffer prefix = readFully(in, ch, 0, (int) Math.min(12, size));
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix.get(i) != MAGIC[i]) {
                throw new EmbregException(file + ": not a .npy file (bad magic string)");
            }
        }
        int major = prefix.get(6);
        long headerLen;
        int offset;
        if (major == 1) {
            headerLen = prefix.getShort(8) & 0xFFFF;
            offset = 10;
        } else if (major == 2 || major == 3) {
            if (size < 12) {
                throw new EmbregException(file + ": truncated .npy header");
            }
            headerLen = prefix.getInt(8) & 0xFFFFFFFFL;
            offset = 12;
        } else {
            throw new EmbregException(file + ": unsupported .npy format version " + major);
        }
        if (offset + headerLen > size) {
            throw new EmbregException(file + ": truncated .npy header (declares " + headerLen + " bytes, the file has " + size + ")");
        }
        if (headerLen > MAX_HEADER) {
            throw new EmbregException(file + ": corrupt .npy header (declares " + headerLen + " bytes)");
        }
        ByteBuffer headerBytes = readFully(in, ch, offset, (int) headerLen);
        String header = new String(headerBytes.array(), 0, (int) headerLen, StandardCharsets.ISO_8859_1);
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
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.charAt(1);
        int itemSize;
        try {
            itemSize = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new EmbregException(file + ": unsupported dtype '" + descr + "'");
        }
        if (itemSize < 1 || itemSize > 8 || Integer.bitCount(itemSize) != 1) {
            throw new EmbregException(file + ": unsupported dtype '" + descr + "'");
        }
        long[] shape = parseShape(file, s.group(1));
        String shapeText = shapeText(shape);
        long count = 1;
        long bytes;
        try {
            for (long x : shape) {
                count = Math.multiplyExact(count, x);
            }
            bytes = Math.multiplyExact(count, itemSize);
        } catch (ArithmeticException e) {
            throw new EmbregException(file + ": shape " + shapeText + " of " + descr + " has more bytes than a 64-bit count holds; the header is corrupt");
        }
        if (whole && count > InputFile.MAX_ARRAY) {
            throw new EmbregException(file + ": shape " + shapeText + " has " + count + " values; embreg holds at most " + InputFile.MAX_ARRAY
                    + " in one array");
        }
        long dataStart = offset + headerLen;
        if (size - dataStart < bytes) {
            throw new EmbregException(file + ": truncated: shape " + shapeText + " of " + descr + " needs " + bytes
                    + " data bytes but the file has " + (size - dataStart));
        }
        return new Header(descr, kind, itemSize, order, f.group(1).equals("True"), shape, count, dataStart);
    }

    private static long[] parseShape(Path file, String text) {
        String[] dims = Arrays.stream(text.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toArray(String[]::new);
        long[] shape = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (!dims[i].matches("\\d+")) {
                throw new EmbregException(file + ": corrupt shape in .npy header: (" + text + ")");
            }
            try {
                shape[i] = Long.parseLong(dims[i]);
            } catch (NumberFormatException e) {
                throw new EmbregException(file + ": shape (" + text + ") in the .npy header has a dimension beyond 64 bits; the header is corrupt");
            }
        }
        return shape;
    }

    /** {@code length} bytes from {@code position}, little endian; the caller has checked that the file holds them. */
    private static ByteBuffer readFully(InputFile in, FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new EmbregException(in.path() + ": truncated (the file ended while it was read)");
            }
        }
        return b.flip();
    }

    /** The data section, read in chunks of whole elements. */
    private static final class Elements {
        private final InputFile in;
        private final FileChannel ch;
        private final ByteBuffer buffer;
        private long position;
        private long left;

        Elements(InputFile in, FileChannel ch, Header h) {
            this.in = in;
            this.ch = ch;
            this.position = h.dataStart;
            this.left = (long) h.count * h.itemSize;
            this.buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(left, 1))).order(h.order);
        }

        /** The next chunk, a whole number of elements, positioned at its first. */
        ByteBuffer next() throws IOException {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), left));
            while (buffer.hasRemaining()) {
                int n = ch.read(buffer, position);
                if (n < 0) {
                    throw new EmbregException(in.path() + ": truncated (the file ended while it was read)");
                }
                position += n;
            }
            left -= buffer.limit();
            return buffer.flip();
        }
    }

    static String shapeText(long[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
