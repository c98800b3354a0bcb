package org.embreg.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.data.NpyReader;

/**
 * Embedding tables for Spark from what a PyTorch user writes: Parquet (a column of
 * {@code array<float>}, {@code array<double>} or MLlib vectors, an optional integer label column
 * and an optional id column, names chosen) or NumPy {@code .npy} files: one 2-D float32/float64
 * file, or a directory of shards read in name order, with labels as one 1-D integer file for all
 * rows or a directory holding a labels shard of the same name for each. The {@code .npy} files are
 * read where they lie, in slices of rows, by the executors (so they must see the same path: a local
 * run, or a shared file system); the driver reads only their headers.
 */
public final class SparkInputs {
    private SparkInputs() {}

    /** Column names of the tables made from .npy files. */
    public static final String EMBEDDING = "embedding";
    public static final String LABEL = "label";
    public static final String ID = "id";

    /** Rows per slice of a .npy shard (one task reads one slice). */
    static final int SLICE_ROWS = 65_536;

    /**
     * A table and the names of its columns.
     *
     * @param rows the table
     * @param embedding the embedding column
     * @param label the label column, or null
     * @param id the id column, or null
     * @param source what it was read from, as errors name it
     */
    public record Table(Dataset<Row> rows, String embedding, String label, String id, String source) {}

    /**
     * Reads Parquet.
     *
     * @param location a path or a URI Spark reads (hdfs://, s3a://, file:)
     */
    public static Table parquet(SparkSession spark, String location, String embedding, String label, String id) {
        Dataset<Row> rows;
        try {
            rows = spark.read().parquet(location);
        } catch (Exception e) { // Spark's AnalysisException is checked, thrown through Scala undeclared
            throw new EmbregException(location + ": cannot read it as Parquet (" + firstLine(e) + ")", e);
        }
        List<String> names = new ArrayList<>();
        names.add(embedding);
        if (label != null) {
            names.add(label);
        }
        if (id != null) {
            names.add(id);
        }
        try {
            SparkTables.requireColumns(rows, names.toArray(String[]::new));
        } catch (EmbregException e) {
            throw new EmbregException(location + ": " + e.getMessage());
        }
        return new Table(rows, embedding, label, id, location);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** One slice of one shard. */
    record Slice(String file, long from, int count, long firstId, String labels, long labelFrom) implements Serializable {}

    /**
     * Reads .npy embeddings (a file or a directory of shards) with optional labels (a file, or a directory of shards named as the
     * embedding shards); the table has columns {@link #EMBEDDING}, {@link #LABEL} (with labels) and {@link #ID} (the row's place).
     */
    public static Table npy(SparkSession spark, Path embeddings, Path labels) {
        List<Path> shards = shards(embeddings, "--embeddings");
        long cols = -1;
        long total = 0;
        long[] rows = new long[shards.size()];
        for (int i = 0; i < shards.size(); i++) {
            long[] shape = NpyReader.shape(shards.get(i));
            if (shape.length != 2) {
                throw new EmbregException(shards.get(i) + ": expected a 2-D array (rows x dim), got " + shape.length + "-D");
            }
            if (cols >= 0 && shape[1] != cols) {
                throw new EmbregException(shards.get(i) + ": has " + shape[1] + " columns where " + shards.get(0) + " has " + cols);
            }
            cols = shape[1];
            rows[i] = shape[0];
            total += shape[0];
        }
        List<Path> labelShards = null;
        if (labels != null) {
            if (Files.isDirectory(labels)) {
                labelShards = new ArrayList<>();
                for (int i = 0; i < shards.size(); i++) {
                    Path l = labels.resolve(shards.get(i).getFileName().toString());
                    if (!Files.isRegularFile(l)) {
                        throw new EmbregException("--labels: " + labels + " has no shard " + l.getFileName() + " for " + shards.get(i));
                    }
                    long n = labelCount(l);
                    if (n != rows[i]) {
                        throw new EmbregException("--labels: " + l + " has " + n + " labels but " + shards.get(i) + " has " + rows[i] + " rows");
                    }
                    labelShards.add(l);
                }
            } else {
                long n = labelCount(labels);
                if (n != total) {
                    throw new EmbregException("--labels has " + n + " labels but --embeddings has " + total + " rows");
                }
            }
        }
        List<Slice> slices = new ArrayList<>();
        long first = 0;
        for (int i = 0; i < shards.size(); i++) {
            for (long from = 0; from < rows[i]; from += SLICE_ROWS) {
                int count = (int) Math.min(SLICE_ROWS, rows[i] - from);
                String labelFile = labels == null ? null : (labelShards != null ? labelShards.get(i) : labels).toString();
                long labelFrom = labelShards != null ? from : first + from;
                slices.add(new Slice(shards.get(i).toString(), from, count, first + from, labelFile, labelFrom));
            }
            first += rows[i];
        }
        StructType schema = new StructType().add(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false);
        if (labels != null) {
            schema = schema.add(LABEL, DataTypes.IntegerType, false);
        }
        schema = schema.add(ID, DataTypes.LongType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        boolean labelled = labels != null;
        JavaRDD<Row> table = jsc.parallelize(slices, Math.max(1, slices.size())).flatMap(s -> read(s, labelled).iterator());
        return new Table(spark.createDataFrame(table, schema), EMBEDDING, labelled ? LABEL : null, ID, embeddings.toString());
    }

    private static long labelCount(Path file) {
        long[] shape = NpyReader.shape(file);
        if (shape.length == 1 || shape.length == 2 && shape[1] == 1) {
            return shape[0];
        }
        throw new EmbregException("--labels: " + file + ": labels must be a 1-D array, got " + shape.length + "-D");
    }

    private static List<Row> read(Slice s, boolean labelled) {
        Matrix m = NpyReader.readRows(Path.of(s.file()), s.from(), s.count());
        int[] y = labelled ? NpyReader.readLabelRows(Path.of(s.labels()), s.labelFrom(), s.count()) : null;
        int d = m.cols();
        List<Row> out = new ArrayList<>(s.count());
        for (int i = 0; i < s.count(); i++) {
            float[] x = java.util.Arrays.copyOfRange(m.data(), i * d, (i + 1) * d);
            out.add(labelled ? RowFactory.create(x, y[i], s.firstId() + i) : RowFactory.create(x, s.firstId() + i));
        }
        return out;
    }

    /** A .npy file, or the .npy files of a directory in name order. */
    private static List<Path> shards(Path p, String option) {
        if (!Files.exists(p)) {
            throw new EmbregException(option + ": " + p + " does not exist");
        }
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            List<Path> out = s.filter(f -> f.getFileName().toString().endsWith(".npy") && Files.isRegularFile(f)).sorted().toList();
            if (out.isEmpty()) {
                throw new EmbregException(option + ": " + p + " holds no .npy files");
            }
            return out;
        } catch (IOException e) {
            throw new EmbregException(option + ": cannot list " + p + " (" + e.getMessage() + ")", e);
        }
    }
}
