import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.embreg.spark.SparkInputs;

/**
 * Converts .npy embeddings (and labels) to Parquet with Spark, as a PyTorch user's pipeline would hand them over: columns
 * embedding array<float>, label int, id long. Run with the command-line jar and Spark's class path:
 * java $(Spark's Java 17 flags) -cp embreg.jar:$(cat embreg-spark/target/spark.classpath) NpyToParquet.java IN.npy [LABELS.npy] OUT.parquet
 */
public class NpyToParquet {
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("npy to parquet").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Path labels = args.length > 2 ? Path.of(args[1]) : null;
            SparkInputs.npy(spark, Path.of(args[0]), labels).rows().write().parquet(args[args.length - 1]);
        } finally {
            spark.stop();
        }
    }
}
