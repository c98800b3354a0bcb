package org.embreg.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.data.CsvFiles;
import org.embreg.loss.CountValue;
import org.embreg.loss.TermValue;

/**
 * A CSV table of logged steps: fixed columns, then one column per loss term and count in the
 * order they first appeared (a term absent from a step leaves its cell empty).
 */
final class TermTable {
    private final List<String> fixedHeader;
    private final List<String> names = new ArrayList<>();
    private final List<List<Object>> fixed = new ArrayList<>();
    private final List<Map<String, Object>> values = new ArrayList<>();

    TermTable(List<String> fixedHeader) {
        this.fixedHeader = List.copyOf(fixedHeader);
    }

    void add(List<Object> fixedValues, List<TermValue> terms, List<CountValue> counts) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (TermValue t : terms) {
            row.putIfAbsent(t.name(), t.value());
        }
        for (CountValue c : counts) {
            row.putIfAbsent(c.name(), c.count());
        }
        for (String n : row.keySet()) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        fixed.add(new ArrayList<>(fixedValues));
        values.add(row);
    }

    List<List<Object>> rows() {
        List<List<Object>> out = new ArrayList<>();
        List<Object> header = new ArrayList<>(fixedHeader);
        header.addAll(names);
        out.add(header);
        for (int i = 0; i < fixed.size(); i++) {
            List<Object> r = new ArrayList<>(fixed.get(i));
            for (String n : names) {
                r.add(values.get(i).get(n));
            }
            out.add(r);
        }
        return out;
    }

    void write(Path file) throws IOException {
        CsvFiles.write(file, rows());
    }

    /**
     * Rewrites the file (atomically) after the first row and every tenth after it, so a run cut
     * short keeps most of its log; {@link #write} writes the rest at the end.
     */
    void writeNowAndThen(Path file) {
        if (fixed.size() % 10 == 1) {
            writeUnchecked(file);
        }
    }

    /** {@link #write}, with a failure as an unchecked exception naming the file. */
    void writeUnchecked(Path file) {
        try {
            write(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
