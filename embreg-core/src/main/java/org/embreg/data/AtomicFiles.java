package org.embreg.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.embreg.EmbregException;

/**
 * Writes files atomically: the content goes to a new temporary file beside the target, is forced to
 * the disk ({@link FileChannel#force}), and the temporary file is renamed over the target with an
 * atomic move. A reader sees the old file or the new one, never a part of one; a write that fails
 * leaves the old file as it was and removes the temporary file.
 *
 * <p>The file gets the permissions of any new file under the process's umask (rw-r--r-- under the
 * usual 022), so others can read results as the umask allows.
 *
 * <p>A target that cannot be written for a reason the user can fix (permission denied, a parent that
 * is a file, a read-only file system) is an {@link EmbregException} naming it; other I/O failures
 * are {@link IOException}s.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    private static final int NAME_ATTEMPTS = 100;

    /** Writes a file's content; the stream is buffered, and must not be closed by the content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes what {@code content} writes, atomically. */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = newTemporaryFile(dir, target.getFileName().toString());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // only on file systems without an atomic rename within a directory: still a rename, never a partial file
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            forceDirectory(dir);
        } catch (FileSystemException e) {
            throw new EmbregException(target + ": cannot write: " + reason(e), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Creates an empty hidden file in {@code dir} with the default permissions (0666 less the umask;
     * {@link Files#createTempFile} would make it 0600).
     */
    private static Path newTemporaryFile(Path dir, String name) throws IOException {
        String stem = "." + (name.length() > 100 ? name.substring(0, 100) : name) + ".";
        for (int attempt = 0;; attempt++) {
            Path tmp = dir.resolve(stem + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == NAME_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Forces the rename to the disk where the platform allows opening a directory (Linux does); best effort elsewhere. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not every platform or file system can sync a directory; the file itself is already on disk
        }
    }

    /** Removes a temporary file after a failure without hiding that failure. */
    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the write's own failure is the one to report; a leftover hidden .tmp file is harmless
        }
    }

    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied" + (e.getFile() == null ? "" : " (" + e.getFile() + ")");
        }
        if (e instanceof FileAlreadyExistsException) {
            return e.getFile() + " exists and is not a directory";
        }
        return e.getReason() != null ? e.getReason() + (e.getFile() == null ? "" : " (" + e.getFile() + ")") : e.toString();
    }
}
