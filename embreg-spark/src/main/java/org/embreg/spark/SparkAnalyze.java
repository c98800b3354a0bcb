package org.embreg.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.embreg.EmbregException;
import org.embreg.linalg.SymmetricEigenSolver;

/**
 * {@code embreg analyze --spark}: starts (or joins, under spark-submit) a Spark session, reads the
 * embeddings and runs {@link SparkAnalysis}. The only class the command line calls, so that
 * without {@code --spark} no Spark class is loaded.
 */
public final class SparkAnalyze {
    private SparkAnalyze() {}

    /**
     * What to read and how.
     *
     * @param master the master URL; empty: the one spark-submit configured, else local[*]
     * @param embeddings a .npy file, a directory of .npy shards, or Parquet (a file or directory, or a URI Spark reads)
     * @param parquet whether {@code embeddings} is Parquet
     * @param labels .npy labels (a file or directory of shards), or null
     * @param column the Parquet embedding column
     * @param labelColumn the Parquet label column, or null
     * @param idColumn the Parquet id column, or null
     */
    public record Request(String master, String embeddings, boolean parquet, Path labels, String column, String labelColumn, String idColumn,
            SparkAnalysis.Options options) {}

    /** Whether a path names Parquet (by its extension, or a directory that holds .parquet files) rather than .npy. */
    public static boolean isParquet(String location) {
        if (location.endsWith(".parquet") || location.contains("://")) {
            return true;
        }
        Path p = Path.of(location);
        if (java.nio.file.Files.isDirectory(p)) {
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(p)) {
                return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
            } catch (java.io.IOException e) {
                throw new EmbregException("--embeddings: cannot list " + p + " (" + e.getMessage() + ")", e);
            }
        }
        return false;
    }

    /** Runs the analysis and stops the session it started. */
    public static SparkAnalysis.Report run(Request r, SymmetricEigenSolver solver) {
        SparkSession spark = session(r.master());
        try {
            SparkInputs.Table table = r.parquet() ? SparkInputs.parquet(spark, r.embeddings(), r.column(), r.labelColumn(), r.idColumn())
                    : SparkInputs.npy(spark, Path.of(r.embeddings()), r.labels());
            return SparkAnalysis.run(table, r.options(), solver);
        } finally {
            spark.stop();
        }
    }

    /** A session for the master; a local one without UI, bound to the loopback address. */
    static SparkSession session(String master) {
        SparkConf conf = new SparkConf();
        String m = !master.isEmpty() ? master : conf.get("spark.master", "local[*]");
        SparkSession.Builder b = SparkSession.builder().appName("embreg analyze").master(m);
        if (m.startsWith("local")) {
            b = b.config("spark.ui.enabled", conf.get("spark.ui.enabled", "false")).config("spark.driver.host", conf.get("spark.driver.host", "127.0.0.1"))
                    .config("spark.driver.bindAddress", conf.get("spark.driver.bindAddress", "127.0.0.1"));
        }
        SparkSession spark;
        try {
            spark = b.getOrCreate();
        } catch (Exception e) { // SparkException is checked, thrown through Scala undeclared
            throw new EmbregException("--spark: cannot start Spark with master '" + m + "' (" + e.getMessage() + ")", e);
        }
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }
}
