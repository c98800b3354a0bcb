package org.embreg.experiments.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embreg.data.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** One run's output directory; every file is written atomically (temporary file, then rename). */
public final class RunDirectory {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .registerTypeHierarchyAdapter(Path.class, (com.google.gson.JsonSerializer<Path>) (p, t, c) -> new com.google.gson.JsonPrimitive(p.toString()))
            .create();
    private final Path root;

    public RunDirectory(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    public Path writeJson(String name, Object value) throws IOException {
        Path p = root.resolve(name);
        AtomicFiles.writeString(p, GSON.toJson(value) + "\n");
        return p;
    }

    /** Writes CSV rows; the first row is the header. Values are written as given (no quoting needed for numbers and names). */
    public Path writeCsv(String name, List<List<Object>> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                sb.append(i > 0 ? "," : "").append(row.get(i));
            }
            sb.append('\n');
        }
        Path p = root.resolve(name);
        AtomicFiles.writeString(p, sb.toString());
        return p;
    }

    public Path writePng(String name, Chart<?, ?> chart) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, bytes, BitmapEncoder.BitmapFormat.PNG);
        Path p = root.resolve(name);
        AtomicFiles.write(p, bytes.toByteArray());
        return p;
    }

    /** JSON text of a value, as the files hold it. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }
}
