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

    /**
     * A bad row met inside a task, known there only by its partition and its place in it; {@link #locating} names it by its row in
     * the table.
     */
    static final class BadRow extends EmbregException {
        private static final long serialVersionUID = 1L;
        final int partition;
        final long row;
        final String problem;

        BadRow(int partition, long row, String problem) {
            super("row " + row + " of partition " + partition + " " + problem);
            this.partition = partition;
            this.row = row;
            this.problem = problem;
        }
    }

    /**
     * Runs a job over a table; a {@link BadRow} it meets (through Spark's wrapping) becomes an error naming the row by its place in
     * the table, as a single-machine reader names it (counting the rows of the partitions before it, only on this error path).
     */
    static <T> T locating(Dataset<Row> table, java.util.function.Supplier<T> job) {
        try {
            return job.get();
        } catch (Exception e) { // Spark's SparkException is checked, thrown through Scala undeclared
            BadRow bad = causeOf(e, BadRow.class);
            if (bad == null) {
                throw rethrow(e);
            }
            int p = bad.partition;
            List<Long> sizes = table.javaRDD().mapPartitionsWithIndex((i, rows) -> {
                long n = 0;
                if (i < p) {
                    for (; rows.hasNext(); rows.next()) {
                        n++;
                    }
                }
                return List.of(n).iterator();
            }, false).collect();
            long before = 0;
            for (int i = 0; i < p; i++) {
                before += sizes.get(i);
            }
            throw new EmbregException("row " + (before + bad.row) + " " + bad.problem, e);
        }
    }

    /** The first throwable of a type in a chain of causes, or null. */
    static <X extends Throwable> X causeOf(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Throws any exception unchanged, checked or not (SparkException is checked but thrown undeclared). */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException rethrow(Throwable e) throws X {
        throw (X) e;
    }

    /** The integer label in column i of a row. */
    static int label(Row r, int i, String which) {
        if (r.isNullAt(i)) {
            throw new EmbregException(which + " has no label");
        }
        return ((Number) r.get(i)).intValue();
    }
}
