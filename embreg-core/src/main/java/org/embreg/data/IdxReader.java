package org.embreg.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.embreg.EmbregException;

/**
 * Reads IDX files (the MNIST format), raw or gzip-compressed (detected by content): unsigned-byte
 * arrays of any rank. Truncated or corrupt files give an {@link EmbregException} naming the file.
 */
public final class IdxReader {
    private IdxReader() {}

    /**
     * An IDX array of unsigned bytes.
     *
     * @param dims the dimensions, e.g. (60000, 28, 28)
     * @param data the values, row-major, as stored (read with {@code & 0xFF})
     */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }
    }

    /** The whole array. */
    public static IdxArray read(Path file) {
        return slice(file, 0, dims(file)[0]);
    }

    /** The dimensions in an IDX file's header (raw or gzip), checked as {@link #read} checks them, without reading the values. */
    public static int[] dims(Path file) {
        return slice(file, 0, 0).dims();
    }

    /** Values beyond this many are not held in one array. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 16;

    /**
     * Items {@code from .. from + count} along the first dimension (images, labels) of an IDX file,
     * raw or gzip, read without holding the rest: a raw file is read where the items lie, a gzip
     * stream is decompressed past the items before them.
     *
     * @return the header's dimensions and the items' values
     */
    public static IdxArray slice(Path file, long from, int count) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
            DataInputStream data = new DataInputStream(in);
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new EmbregException(file + ": not an IDX file (shorter than its 4-byte header)");
            }
            int rank = magic & 0xFF;
            int type = (magic >> 8) & 0xFF;
            if ((magic >>> 16) != 0 || rank < 1 || rank > 4) {
                throw new EmbregException(file + ": not an IDX file (magic number 0x" + Integer.toHexString(magic) + ")");
            }
            if (type != 0x08) {
                throw new EmbregException(file + ": IDX element type 0x" + Integer.toHexString(type) + " is not supported (only unsigned bytes, 0x08)");
            }
            int[] dims = new int[rank];
            long item = 1;
            for (int i = 0; i < rank; i++) {
                try {
                    dims[i] = data.readInt();
                } catch (EOFException e) {
                    throw new EmbregException(file + ": truncated IDX header");
                }
                if (dims[i] < 0) {
                    throw new EmbregException(file + ": corrupt IDX header (dimension " + i + " is " + dims[i] + ")");
                }
                item *= i == 0 ? 1 : dims[i];
            }
            if (item * count > MAX_VALUES) {
                throw new EmbregException(file + ": IDX array too large (" + item * count + " values)");
            }
            if (from < 0 || count < 0 || from + count > dims[0]) {
                throw new IllegalArgumentException(file + ": items " + from + " .. " + (from + count) + " are not a readable piece of " + dims[0]);
            }
            try {
                data.skipNBytes(from * item);
            } catch (EOFException e) {
                throw new EmbregException(file + ": truncated: the header declares " + dims[0] + " items but the file ends before item " + from);
            }
            byte[] values = new byte[(int) (item * count)];
            int read = data.readNBytes(values, 0, values.length);
            if (read < values.length) {
                throw new EmbregException(file + ": truncated: the header declares " + dims[0] + " items (" + item * dims[0]
                        + " values) but the file ends inside item " + (from + read / Math.max(1, item)));
            }
            return new IdxArray(dims, values);
        } catch (NoSuchFileException e) {
            throw new EmbregException(file + ": no such file");
        } catch (ZipException | EOFException e) {
            throw new EmbregException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new EmbregException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
