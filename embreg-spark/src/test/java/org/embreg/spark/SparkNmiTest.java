package org.embreg.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.metric.Nmi;
import org.junit.jupiter.api.Test;

/** NMI on Spark in local[2]: separated clusters are found, and the contingency route equals the single-machine NMI. */
class SparkNmiTest extends LocalSparkTest {
    private static final StructType SCHEMA = new StructType().add("embedding", DataTypes.createArrayType(DataTypes.FloatType), true)
            .add("label", DataTypes.IntegerType, true);

    @Test
    void separatedClassesGiveAnNmiNearOne() {
        Random rnd = new Random(2);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            int label = i % 4;
            List<Float> v = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                v.add((float) ((c == label ? 5 : 0) + 0.1 * rnd.nextGaussian()));
            }
            rows.add(RowFactory.create(v, label));
        }
        Dataset<Row> t = spark.createDataFrame(rows, SCHEMA).repartition(3);
        SparkNmi.Result r = SparkNmi.of(t, "embedding", "label", 1);
        assertEquals(4, r.clusters());
        assertEquals(120, r.rows());
        assertEquals(1.0, r.nmi(), 1e-12);
    }

    @Test
    void theContingencyRouteEqualsTheSingleMachineNmi() {
        int[] truth = {0, 0, 0, 1, 1, 1, 2, 2, 5, 5};
        int[] predicted = {3, 3, 1, 1, 1, 0, 0, 0, 0, 3};
        long[][] joint = new long[4][4];
        int[] rowOf = {0, 1, 2, -1, -1, 3};
        int[] colOf = {0, 1, -1, 2};
        for (int i = 0; i < truth.length; i++) {
            joint[rowOf[truth[i]]][colOf[predicted[i]]]++;
        }
        // columns indexed 0..2 used, the fourth empty: an empty cluster changes nothing
        assertEquals(Nmi.of(truth, predicted), Nmi.fromContingency(joint), 1e-15);
        assertTrue(Nmi.of(truth, predicted) > 0 && Nmi.of(truth, predicted) < 1);
    }
}
