package org.embreg.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.embreg.EmbregException;

/** Reading embedding tables: the columns a computation needs, and each row's finite embedding. */
final class SparkTables {
    private SparkTables() {}

    /** @throws EmbregException naming the first missing column and the table's columns */
    static void requireColumns(Dataset<Row> table, String... names) {
        for (String c : names) {
            if (!List.of(table.columns()).contains(c)) {
                throw new EmbregException("the table has no column '" + c + "' (columns: " + String.join(", ", table.columns()) + ")");
            }
        }
    }

    /**
     * The array in column i of a row as floats, every value finite.
     *
     * @param which the row as an error names it ("a row", "row 17")
     */
    static float[] finiteFloats(Row r, int i, String which) {
        float[] x = SparkSpectrum.toFloats(r, i);
        for (float f : x) {
            if (!Float.isFinite(f)) {
                throw new EmbregException(which + " contains NaN or Inf");
            }
        }
        return x;
    }

    /** The integer label in column i of a row. */
    static int label(Row r, int i, String which) {
        if (r.isNullAt(i)) {
            throw new EmbregException(which + " has no label");
        }
        return ((Number) r.get(i)).intValue();
    }
}
