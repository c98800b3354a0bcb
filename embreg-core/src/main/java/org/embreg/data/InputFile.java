package org.embreg.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import org.embreg.EmbregException;

/**
 * An input file checked before it is read: it exists and is a regular file (a device such as
 * /dev/zero, a pipe or a directory is refused, since it may have no end), with its size and the
 * memory the reader may fill from it. Every message names the file.
 */
final class InputFile {
    /** The most elements one Java array holds. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final long GIB = 1L << 30;

    private final Path path;
    private final long size;
    private final long memoryLimit;

    private InputFile(Path path, long size, long memoryLimit) {
        this.path = path;
        this.size = size;
        this.memoryLimit = memoryLimit;
    }

    /**
     * Checks the file.
     *
     * @param memoryLimit the most bytes the reader may allocate for what it reads (the JVM's
     *     {@code Runtime.maxMemory()} in production)
     */
    static InputFile of(Path file, long memoryLimit) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new InputFile(file, 0, memoryLimit).cannotRead(e);
        }
        if (a.isDirectory()) {
            throw new EmbregException(file + ": is a directory, not a file");
        }
        if (!a.isRegularFile()) {
            throw new EmbregException(file + ": not a regular file (a device, pipe or socket may have no end); save the data to a file and give that");
        }
        return new InputFile(file, a.size(), memoryLimit);
    }

    Path path() {
        return path;
    }

    /** The size in bytes when it was checked. */
    long size() {
        return size;
    }

    FileChannel openChannel() throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Refuses, naming the file and how to give Java more memory, when {@code bytes} exceed the limit. */
    void requireMemory(long bytes, String what) {
        if (bytes > memoryLimit) {
            throw new EmbregException(path + ": " + what + " needs " + bytesText(bytes) + " of memory (the file has " + bytesText(size)
                    + ") but Java may use at most " + bytesText(memoryLimit) + "; " + moreMemory(bytes));
        }
    }

    /** The error for an {@link OutOfMemoryError} while reading, the last resort after {@link #requireMemory}. */
    EmbregException outOfMemory(OutOfMemoryError e) {
        return new EmbregException(path + ": ran out of memory reading it (the file has " + bytesText(size) + ", Java may use at most "
                + bytesText(memoryLimit) + "); " + moreMemory(Math.max(size, memoryLimit)), e);
    }

    /** The error for an I/O failure, with the reason in words where it is a common one. */
    EmbregException cannotRead(IOException e) {
        if (e instanceof NoSuchFileException) {
            return new EmbregException(path + ": no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return new EmbregException(path + ": permission denied", e);
        }
        if (e instanceof CharacterCodingException) {
            return new EmbregException(path + ": not UTF-8 text (and not a .npy file); give a .npy file or numeric text", e);
        }
        return new EmbregException(path + ": cannot read: " + e.getMessage(), e);
    }

    private static String moreMemory(long bytes) {
        long gib = Math.max(1, (bytes + bytes / 2 + GIB - 1) / GIB + 1);
        return "give Java more memory with -Xmx (with the embreg launcher: EMBREG_JAVA_OPTS=-Xmx" + gib + "g)";
    }

    static String bytesText(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%d bytes (%.1f %s)", bytes, v, units[u]);
    }
}
