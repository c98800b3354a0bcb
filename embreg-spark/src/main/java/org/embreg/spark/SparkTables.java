package org.embreg.spark;

import java.util.List;
import java.util.function.Function;
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
        return embedding(r, i, -1, problem -> new EmbregException(which + " " + problem));
    }

    /**
     * The embedding in column i of a row as floats, checked once for every pass that reads rows: present, no null value, d
     * values (any number when d &lt; 0), all finite.
     *
     * @param bad the error for a problem ("contains NaN or Inf", ...), which the caller names the row in
     */
    static float[] embedding(Row r, int i, int d, Function<String, ? extends RuntimeException> bad) {
        if (r.isNullAt(i)) {
            throw bad.apply("has no embedding (null)");
        }
        float[] x = toFloats(r, i);
        if (x == null) {
            throw bad.apply("holds a null value");
        }
        if (d >= 0 && x.length != d) {
            throw bad.apply("has " + x.length + " values where the first row has " + d + " (ragged arrays)");
        }
        for (float v : x) {
            if (!Float.isFinite(v)) {
                throw bad.apply("contains NaN or Inf");
            }
        }
        return x;
    }

    /** The array in column i of a (non-null) row as floats (a float or double array column, or an MLlib vector); null if it holds a null value. */
    static float[] toFloats(Row r, int i) {
        if (r.get(i) instanceof org.apache.spark.ml.linalg.Vector vector) {
            double[] d = vector.toArray();
            float[] out = new float[d.length];
            for (int k = 0; k < d.length; k++) {
                out[k] = (float) d[k];
            }
            return out;
        }
        List<Object> v = r.getList(i);
        float[] out = new float[v.size()];
        for (int k = 0; k < out.length; k++) {
            Object o = v.get(k);
            if (o == null) {
                return null;
            }
            out[k] = ((Number) o).floatValue();
        }
        return out;
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

    /**
     * What a failed Spark job becomes: the data error a task met (an {@link EmbregException} anywhere in the causes, as Spark wraps
     * it), its message prefixed by the source when one is given; any other failure unchanged.
     */
    static RuntimeException dataError(Exception e, String source) {
        EmbregException bad = causeOf(e, EmbregException.class);
        if (bad == null) {
            throw rethrow(e);
        }
        return new EmbregException(source == null ? bad.getMessage() : source + ": " + bad.getMessage(), e);
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
