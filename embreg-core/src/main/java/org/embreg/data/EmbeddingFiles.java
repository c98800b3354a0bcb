package org.embreg.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import org.embreg.EmbregException;

/**
 * Reads embeddings and labels from a file in either supported format, chosen by its content, never
 * by its name: a file that starts with the NumPy magic string ({@code \x93NUMPY}) is read by
 * {@link NpyReader}, anything else as numeric text by {@link CsvReader}. An .npy file named .csv and
 * a CSV named .npy both read correctly. Every problem is an {@link EmbregException} naming the file.
 */
public final class EmbeddingFiles {
    private EmbeddingFiles() {}

    /** The formats embreg reads. */
    public enum Format {
        /** NumPy's .npy. */
        NPY,
        /** Numeric text: CSV, TSV or whitespace-separated, see {@link CsvReader}. */
        TEXT
    }

    /** The file's format, from its first bytes. */
    public static Format formatOf(Path file) {
        InputFile in = InputFile.of(file, Runtime.getRuntime().maxMemory());
        ByteBuffer start = ByteBuffer.allocate(NpyReader.magicLength());
        try (FileChannel ch = in.openChannel()) {
            int n = 0;
            while (start.hasRemaining() && n >= 0) {
                n = ch.read(start);
            }
        } catch (IOException e) {
            throw in.cannotRead(e);
        }
        return !start.hasRemaining() && NpyReader.startsWithMagic(start.array()) ? Format.NPY : Format.TEXT;
    }

    /** A 2-D float matrix (rows x dim). */
    public static Matrix readMatrix(Path file) {
        return switch (formatOf(file)) {
            case NPY -> NpyReader.readMatrix(file);
            case TEXT -> asText(file, () -> CsvReader.readMatrix(file));
        };
    }

    /** Integer labels, one per row. */
    public static int[] readLabels(Path file) {
        return switch (formatOf(file)) {
            case NPY -> NpyReader.readLabels(file);
            case TEXT -> asText(file, () -> CsvReader.readLabels(file));
        };
    }

    /**
     * Reads a file without the .npy magic as text; when it is named .npy and does not read as text
     * either, the error says that it is not a valid .npy file first.
     */
    private static <T> T asText(Path file, Supplier<T> read) {
        try {
            return read.get();
        } catch (EmbregException e) {
            Path name = file.getFileName();
            if (name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                throw new EmbregException(file + ": not a .npy file (bad magic string), and not numeric text either: " + e.getMessage(), e);
            }
            throw e;
        }
    }
}
