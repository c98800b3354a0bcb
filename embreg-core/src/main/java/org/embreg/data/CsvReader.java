package org.embreg.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embreg.EmbregException;

/**
 * Reads numeric CSV: one row per line, comma (or whitespace) separated; a first line that is not
 * numeric is taken as a header and skipped. Errors name the file, line and column.
 */
public final class CsvReader {
    private CsvReader() {}

    public static Matrix readMatrix(Path file) {
        List<double[]> rows = readRows(file);
        int cols = rows.get(0).length;
        float[] data = new float[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols; c++) {
                data[r * cols + c] = (float) rows.get(r)[c];
            }
        }
        return new Matrix(data, rows.size(), cols);
    }

    public static int[] readLabels(Path file) {
        List<double[]> rows = readRows(file);
        if (rows.get(0).length != 1) {
            throw new EmbregException(file + ": labels must have one value per line, line 1 has " + rows.get(0).length);
        }
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            double v = rows.get(i)[0];
            if (v != Math.rint(v)) {
                throw new EmbregException(file + ": label on data row " + (i + 1) + " is " + v + "; labels must be whole numbers");
            }
            out[i] = (int) v;
        }
        return out;
    }

    private static List<double[]> readRows(Path file) {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            int cols = -1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s*[,;\\s]\\s*");
                double[] row = new double[parts.length];
                boolean header = false;
                for (int c = 0; c < parts.length; c++) {
                    try {
                        row[c] = Double.parseDouble(parts[c]);
                    } catch (NumberFormatException e) {
                        if (rows.isEmpty() && cols < 0) {
                            header = true;
                            break;
                        }
                        throw new EmbregException(file + ": line " + lineNo + ", column " + (c + 1) + ": '" + parts[c] + "' is not a number");
                    }
                }
                if (header) {
                    cols = 0;
                    continue;
                }
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new EmbregException(file + ": line " + lineNo + " has " + row.length + " values but earlier lines have " + rows.get(0).length);
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new EmbregException(file + ": no such file");
        } catch (IOException e) {
            throw new EmbregException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new EmbregException(file + ": no data rows");
        }
        return rows;
    }
}
