package org.embreg.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes CSV tables atomically: numbers and names as they print, one row a line, the header first. */
public final class CsvFiles {
    private CsvFiles() {}

    /**
     * @param file the target, replaced atomically
     * @param rows the header row first; a null cell is written empty
     */
    public static void write(Path file, List<? extends List<?>> rows) throws IOException {
        AtomicFiles.writeString(file, text(rows));
    }

    /** The CSV text of the rows. */
    public static String text(List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder();
        for (List<?> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                Object v = row.get(i);
                sb.append(i > 0 ? "," : "").append(v == null ? "" : v);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
