package org.embreg.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.embreg.EmbregException;

/**
 * Exact retrieval metrics over a table of any size: every row a query against all others (itself
 * excluded), cosine similarity of the L2-normalized rows (normalized to float as
 * {@link org.embreg.data.Matrix#normalizedRows} does, products in double). Queries go in blocks,
 * broadcast to every partition; each task keeps the k best candidates of each query among its
 * rows and the driver merges those per-partition lists: memory O(block x partition) per task and
 * O(block x k x partitions) on the driver, never N x N, and the embeddings are never collected.
 * One neighbour search, k = max(K, largest class - 1), serves Recall@K, MAP@R and R-precision.
 * Ties are broken by row index (the lower first), so results do not depend on the partitioning.
 *
 * <p>Definitions as {@link org.embreg.metric.RecallAtK} and {@link org.embreg.metric.MapAtR}:
 * Recall@K is the share of all queries with a same-label row among their K nearest; MAP@R and
 * R-precision average over the queries whose class has another row, with R = class size - 1.
 *
 * <p>In progress (issue 10): the per-task products are plain Java loops, not yet the engine's
 * matrix product.
 */
public final class SparkRetrieval {
    private SparkRetrieval() {}

    /**
     * @param recallAt Recall@K for each K asked (those below the number of rows)
     * @param mapAtR MAP@R
     * @param rPrecision R-precision
     * @param rankedQueries queries MAP@R and R-precision average over
     */
    public record Result(TreeMap<Integer, Double> recallAt, double mapAtR, double rPrecision, long rankedQueries) {}

    /** A row: its index in the table, its label and its normalized embedding. */
    record Item(long index, int label, double[] v) implements Serializable {}

    /** A candidate neighbour. */
    record Hit(double score, long index, int label) implements Serializable {}

    /**
     * @param table the embeddings and labels
     * @param embedding the array column
     * @param label the integer label column
     * @param ks the K of Recall@K
     * @param block queries per broadcast block
     */
    public static Result of(Dataset<Row> table, String embedding, String label, int[] ks, int block) {
        SparkTables.requireColumns(table, embedding, label);
        if (block < 1 || ks.length == 0) {
            throw new IllegalArgumentException("need a query block >= 1 and at least one K");
        }
        JavaRDD<Item> items = table.select(embedding, label).javaRDD().zipWithIndex().map(t -> {
            String which = "row " + t._2();
            return new Item(t._2(), SparkTables.label(t._1(), 1, which), SparkSpectrum.normalized(SparkTables.finiteFloats(t._1(), 0, which)));
        }).cache();
        try {
            Map<Integer, Long> classSizes = items.map(Item::label).countByValue();
            long n = classSizes.values().stream().mapToLong(Long::longValue).sum();
            if (n < 2) {
                throw new EmbregException("retrieval needs at least 2 rows, got " + n);
            }
            long largest = classSizes.values().stream().mapToLong(Long::longValue).max().orElse(1);
            int maxK = 0;
            for (int k : ks) {
                maxK = Math.max(maxK, k);
            }
            int k = (int) Math.min(n - 1, Math.max(maxK, largest - 1));
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext());
            long[] hits = new long[ks.length];
            double apSum = 0;
            double rpSum = 0;
            long ranked = 0;
            for (long start = 0; start < n; start += block) {
                long from = start;
                long to = Math.min(n, start + block);
                List<Item> queries = new ArrayList<>(items.filter(i -> i.index() >= from && i.index() < to).collect());
                queries.sort((a, b) -> Long.compare(a.index(), b.index()));
                Broadcast<List<Item>> shared = jsc.broadcast(queries);
                int kk = k;
                List<List<List<Hit>>> parts = items.mapPartitions((Iterator<Item> rows) -> {
                    List<List<Hit>> best = topK(shared.value(), rows, kk);
                    return List.of(best).iterator();
                }).collect();
                shared.destroy();
                for (int q = 0; q < queries.size(); q++) {
                    List<Hit> merged = new ArrayList<>();
                    for (List<List<Hit>> p : parts) {
                        merged.addAll(p.get(q));
                    }
                    merged.sort(SparkRetrieval::better);
                    Item query = queries.get(q);
                    for (int i = 0; i < ks.length; i++) {
                        for (int j = 0; j < Math.min(ks[i], merged.size()); j++) {
                            if (merged.get(j).label() == query.label()) {
                                hits[i]++;
                                break;
                            }
                        }
                    }
                    int r = (int) (classSizes.get(query.label()) - 1);
                    if (r > 0) {
                        int relevant = 0;
                        double precisionSum = 0;
                        for (int j = 0; j < r; j++) {
                            if (merged.get(j).label() == query.label()) {
                                relevant++;
                                precisionSum += (double) relevant / (j + 1);
                            }
                        }
                        apSum += precisionSum / r;
                        rpSum += (double) relevant / r;
                        ranked++;
                    }
                }
            }
            TreeMap<Integer, Double> recall = new TreeMap<>();
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] < n) {
                    recall.put(ks[i], (double) hits[i] / n);
                }
            }
            return new Result(recall, ranked == 0 ? 0 : apSum / ranked, ranked == 0 ? 0 : rpSum / ranked, ranked);
        } finally {
            items.unpersist();
        }
    }

    /** Higher score first, then the lower index. */
    private static int better(Hit a, Hit b) {
        int c = Double.compare(b.score(), a.score());
        return c != 0 ? c : Long.compare(a.index(), b.index());
    }

    /** The k best rows of this partition for each query, the query itself excluded. */
    private static List<List<Hit>> topK(List<Item> queries, Iterator<Item> rows, int k) {
        List<java.util.PriorityQueue<Hit>> heaps = new ArrayList<>(queries.size());
        for (int q = 0; q < queries.size(); q++) {
            // the worst kept candidate on top
            heaps.add(new java.util.PriorityQueue<>(k + 1, (a, b) -> better(b, a)));
        }
        while (rows.hasNext()) {
            Item row = rows.next();
            for (int q = 0; q < queries.size(); q++) {
                Item query = queries.get(q);
                if (query.index() == row.index()) {
                    continue;
                }
                double s = 0;
                double[] a = query.v();
                double[] b = row.v();
                if (a.length != b.length) {
                    throw new EmbregException("row " + row.index() + " has " + b.length + " values where row " + query.index() + " has " + a.length
                            + " (ragged arrays)");
                }
                for (int c = 0; c < a.length; c++) {
                    s += a[c] * b[c];
                }
                java.util.PriorityQueue<Hit> h = heaps.get(q);
                Hit hit = new Hit(s, row.index(), row.label());
                if (h.size() < k) {
                    h.add(hit);
                } else if (better(hit, h.peek()) < 0) {
                    h.poll();
                    h.add(hit);
                }
            }
        }
        List<List<Hit>> out = new ArrayList<>(queries.size());
        for (java.util.PriorityQueue<Hit> h : heaps) {
            out.add(new ArrayList<>(h));
        }
        return out;
    }
}
