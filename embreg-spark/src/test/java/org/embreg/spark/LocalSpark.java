package org.embreg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The tests' Spark: local[2] on 127.0.0.1 without UI, and tables laid out in partitions of chosen sizes. */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start() {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("embreg-test").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        return spark;
    }

    /** The rows in pieces of the given sizes, one partition each (0 makes an empty partition), as Spark itself holds rows. */
    static Dataset<Row> table(SparkSession spark, StructType schema, List<Row> rows, int... pieces) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> all = null;
        int r = 0;
        for (int size : pieces) {
            List<Row> part = new ArrayList<>(rows.subList(r, r + size));
            r += size;
            JavaRDD<Row> rdd = part.isEmpty() ? jsc.parallelize(List.<Row>of(), 1) : spark.createDataFrame(part, schema).javaRDD().coalesce(1);
            all = all == null ? rdd : all.union(rdd);
        }
        return spark.createDataFrame(all, schema);
    }
}
