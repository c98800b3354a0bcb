package org.embreg.spark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.metric.Nmi;

/**
 * NMI of a table's L2-normalized rows clustered by MLlib's k-means (k-means||, seeded) with as
 * many clusters as labels, against the labels (NMI and AMI); the contingency table is counted on the cluster
 * and only it (classes x clusters) reaches the driver. Normalized by the arithmetic mean of the
 * entropies, as {@link Nmi}.
 */
public final class SparkNmi {
    private SparkNmi() {}

    /**
     * @param nmi normalized mutual information
     * @param clusters k
     * @param rows N
     * @param ami adjusted mutual information from the same contingency table
     */
    public record Result(double nmi, double ami, int clusters, long rows) {}

    /** k-means runs; the one of lowest cost is kept. */
    static final int RUNS = 5;

    private static final StructType FEATURES = new StructType().add("features", new VectorUDT(), false).add("label", DataTypes.IntegerType, false);

    /**
     * @param table the embeddings and labels
     * @param embedding the array column
     * @param label the integer label column
     * @param seed k-means' seed
     */
    public static Result of(Dataset<Row> table, String embedding, String label, long seed) {
        return of(table, embedding, label, seed, true);
    }

    /**
     * @param normalize whether rows are L2-normalized before clustering (as analyze clusters them)
     */
    public static Result of(Dataset<Row> table, String embedding, String label, long seed, boolean normalize) {
        SparkTables.requireColumns(table, embedding, label);
        Dataset<Row> features = table.sparkSession().createDataFrame(table.select(embedding, label).javaRDD().map(r -> {
            float[] x = SparkTables.finiteFloats(r, 0, "a row");
            return RowFactory.create(Vectors.dense(normalize ? SparkSpectrum.normalized(x) : org.embreg.data.Matrix.doubles(x)), SparkTables.label(r, 1, "a row"));
        }), FEATURES).cache();
        try {
            long classes = features.select("label").distinct().count();
            long n = features.count();
            int k = (int) Math.max(1, Math.min(classes, n));
            // several seeded runs (k-means|| with 5 initialization steps each), at most 100 iterations, the lowest cost kept: a single
            // MLlib run often stops in a poorer optimum than the single machine's k-means++ with 3 restarts
            KMeansModel model = null;
            for (int run = 0; run < RUNS; run++) {
                KMeansModel m = new KMeans().setK(k).setSeed(seed + run).setMaxIter(100).setInitSteps(5).setFeaturesCol("features").setPredictionCol("cluster")
                        .fit(features);
                if (model == null || m.summary().trainingCost() < model.summary().trainingCost()) {
                    model = m;
                }
            }
            List<Row> counts = model.transform(features).groupBy("label", "cluster").count().collectAsList();
            Map<Integer, Integer> rowOf = new TreeMap<>();
            Map<Integer, Integer> colOf = new TreeMap<>();
            for (Row r : counts) {
                rowOf.putIfAbsent(r.getInt(0), 0);
                colOf.putIfAbsent(r.getInt(1), 0);
            }
            int i = 0;
            for (Map.Entry<Integer, Integer> e : rowOf.entrySet()) {
                e.setValue(i++);
            }
            i = 0;
            for (Map.Entry<Integer, Integer> e : colOf.entrySet()) {
                e.setValue(i++);
            }
            long[][] joint = new long[rowOf.size()][colOf.size()];
            for (Row r : counts) {
                joint[rowOf.get(r.getInt(0))][colOf.get(r.getInt(1))] += r.getLong(2);
            }
            return new Result(Nmi.fromContingency(joint), Nmi.amiFromContingency(joint), k, n);
        } finally {
            features.unpersist();
        }
    }
}
