package org.embreg.experiments.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embreg.data.AtomicFiles;
import org.embreg.data.CsvFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** One run's output directory; every file is written atomically (temporary file, then rename). */
public final class RunDirectory {
    private final Path root;

    /**
     * Creates the directory if needed and checks, before any work is done, that files can be
     * written in it.
     *
     * @throws org.embreg.EmbregException naming the directory when it is a file or cannot be written
     */
    public RunDirectory(Path root) throws IOException {
        this.root = root;
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new org.embreg.EmbregException("output directory " + root + " is a file, not a directory");
        }
        try {
            Files.createDirectories(root);
            Files.delete(Files.createTempFile(root, ".write-check", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new org.embreg.EmbregException("cannot write to the output directory " + root + " (" + e + ")", e);
        }
    }

    public Path root() {
        return root;
    }

    /** Writes a record as JSON ({@link Results}). */
    public Path writeJson(String name, Object value) throws IOException {
        Path p = root.resolve(name);
        Results.write(p, value);
        return p;
    }

    /** Writes CSV rows; the first row is the header. */
    public Path writeCsv(String name, List<? extends List<?>> rows) throws IOException {
        Path p = root.resolve(name);
        CsvFiles.write(p, rows);
        return p;
    }

    public Path writePng(String name, Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, bytes, BitmapEncoder.BitmapFormat.PNG);
        Path p = root.resolve(name);
        AtomicFiles.write(p, bytes.toByteArray());
        return p;
    }

    /** JSON text of a value, as the files hold it ({@link Results#toJson}). */
    public static String toJson(Object value) {
        return Results.toJson(value);
    }
}
