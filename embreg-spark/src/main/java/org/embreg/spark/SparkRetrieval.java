package org.embreg.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
import org.embreg.metric.MapAtR;
import org.embreg.metric.RankingMetrics;
import org.embreg.metric.RetrievalTally;
import org.embreg.metric.RecallAtK;
import org.embreg.metric.Uniformity;

/**
 * Exact retrieval metrics over a table of any size, with the single machine's definitions
 * ({@link RecallAtK}, {@link org.embreg.metric.MapAtR}): every row a query against all others
 * (itself excluded), ranked by Euclidean distance of the rows the analysis uses (L2-normalized, or
 * as given), as on one machine: the engine's float32 matrix product of the same augmented rows
 * ({@link RecallAtK#augmented}) picks k + {@link RecallAtK#CANDIDATE_MARGIN} candidates per chunk,
 * and the exact double score ({@link RecallAtK#exactScore}) ranks them, ties by the lower row
 * index, so that the ranking does not depend on how the product was cut. Recall@K is the share of queries with a
 * same-label row among their K nearest; MAP@R and R-precision average over the queries whose class
 * has another row, with R = class size - 1.
 *
 * <p>How it scales: the rows are cut into chunks (at most {@link Options#chunk} rows of one
 * partition each) and cached; queries go in blocks, fetched partition by partition
 * ({@code toLocalIterator}) and broadcast; each task multiplies the block by each of its chunks
 * (block x chunk scores, the only large temporary) and keeps the k best per query on the host:
 * from the engine's top k + margin of each row while a query has fewer than k, then from a scan
 * of the float scores against the k-th best exact score (with the float rounding bound); chunks
 * are spread over a multiple of the cores; the partitions' lists are merged pairwise by tree
 * reduction. One neighbour search, k = max(K, largest class), serves every metric. Memory
 * per task O(block x chunk + block x k), on the driver O(block x k) and one partition of queries;
 * the embeddings are never collected whole, and nothing is N x N.
 *
 * <p>With {@link Options#sampleQueries} above 0 the metrics are an estimate from that many queries,
 * a seeded sample ({@link Uniformity#sampleIndices}), each still ranked against the whole table.
 */
public final class SparkRetrieval {
    private SparkRetrieval() {}

    /**
     * @param normalize whether rows are L2-normalized before ranking (analyze's default)
     * @param ks the K of Recall@K
     * @param block queries per broadcast block
     * @param chunk rows per cached chunk (the right side of one product)
     * @param sampleQueries 0: every row is a query; otherwise that many sampled queries (an estimate)
     * @param seed the sample's seed
     */
    public record Options(boolean normalize, int[] ks, int block, int chunk, long sampleQueries, long seed) {
        public Options {
            if (block < 1 || chunk < 1 || ks.length == 0 || sampleQueries < 0) {
                throw new IllegalArgumentException("need a query block >= 1, a chunk >= 1, at least one K and a sample size >= 0");
            }
        }

    }

    /**
     * @param recallAt Recall@K for each K asked (those below the number of rows)
     * @param map MAP@R, R-precision and the queries they (and the ranking metrics) average over
     * @param ranking precision@1, mean reciprocal rank, mean average precision (list as deep as the largest class)
     * @param queries queries ranked (N, or the sample's size)
     * @param rows N
     * @param classes distinct labels
     */
    public record Result(TreeMap<Integer, Double> recallAt, MapAtR.Result map, RankingMetrics.Result ranking, long queries, long rows, int classes) {
        /** MAP@R. */
        public double mapAtR() {
            return map.mapAtR();
        }

        /** R-precision. */
        public double rPrecision() {
            return map.rPrecision();
        }

        /** Whether the metrics are an estimate from a sample of queries. */
        public boolean sampled() {
            return queries < rows;
        }
    }

    /** Rows of one partition: their table indices, labels and embeddings (row-major, as the analysis uses them). */
    static final class Chunk implements Serializable {
        private static final long serialVersionUID = 1L;
        final long[] index;
        final int[] label;
        final float[] data;
        final int d;

        Chunk(long[] index, int[] label, float[] data, int d) {
            this.index = index;
            this.label = label;
            this.data = data;
            this.d = d;
        }

        int rows() {
            return index.length;
        }

        /** The rows whose index is in a sorted array. */
        Chunk only(long[] sorted) {
            int kept = 0;
            int[] at = new int[rows()];
            for (int i = 0; i < rows(); i++) {
                if (Arrays.binarySearch(sorted, index[i]) >= 0) {
                    at[kept++] = i;
                }
            }
            return slice(at, kept);
        }

        /** Rows from .. to as a chunk of their own. */
        Chunk range(int from, int to) {
            int[] at = new int[to - from];
            for (int i = 0; i < at.length; i++) {
                at[i] = from + i;
            }
            return slice(at, at.length);
        }

        private Chunk slice(int[] at, int count) {
            long[] ix = new long[count];
            int[] lb = new int[count];
            float[] x = new float[count * d];
            for (int i = 0; i < count; i++) {
                ix[i] = index[at[i]];
                lb[i] = label[at[i]];
                System.arraycopy(data, at[i] * d, x, i * d, d);
            }
            return new Chunk(ix, lb, x, d);
        }
    }

    /** The k best candidates of each query of a block among one partition's rows, kept as bounded heaps (the worst at the root). */
    static final class Hits implements Serializable {
        private static final long serialVersionUID = 1L;
        final int k;
        final double[] score;
        final long[] index;
        final int[] label;
        final int[] count;
        private int full;

        Hits(int queries, int k) {
            this.k = k;
            this.score = new double[queries * k];
            this.index = new long[queries * k];
            this.label = new int[queries * k];
            this.count = new int[queries];
        }

        /** Whether candidate a ranks below b: a lower score, or the same score and a higher index. */
        private static boolean worse(double sa, long ia, double sb, long ib) {
            return sa < sb || sa == sb && ia > ib;
        }

        /** Adds another partition's candidates for the same queries (the k best of both are kept). */
        Hits merge(Hits o) {
            for (int q = 0; q < count.length; q++) {
                for (int j = 0; j < o.count[q]; j++) {
                    int at = q * o.k + j;
                    offer(q, o.score[at], o.index[at], o.label[at]);
                }
            }
            return this;
        }

        /** Queries that have k candidates. */
        int full() {
            return full;
        }

        /** The k-th best exact score of a query that has k candidates. */
        double worst(int q) {
            return score[q * k];
        }

        /** Whether a candidate scoring at most {@code bound} could still enter query q's k best. */
        boolean mayEnter(int q, double bound) {
            return count[q] < k || bound >= score[q * k];
        }

        void offer(int q, double s, long ix, int lb) {
            int base = q * k;
            int size = count[q];
            if (size < k) {
                int at = size;
                count[q] = size + 1;
                full += size + 1 == k ? 1 : 0;
                while (at > 0) {
                    int parent = (at - 1) / 2;
                    if (!worse(s, ix, score[base + parent], index[base + parent])) {
                        break;
                    }
                    move(base + parent, base + at);
                    at = parent;
                }
                put(base + at, s, ix, lb);
            } else if (worse(score[base], index[base], s, ix)) {
                int at = 0;
                while (true) {
                    int child = 2 * at + 1;
                    if (child >= k) {
                        break;
                    }
                    if (child + 1 < k && worse(score[base + child + 1], index[base + child + 1], score[base + child], index[base + child])) {
                        child++;
                    }
                    if (!worse(score[base + child], index[base + child], s, ix)) {
                        break;
                    }
                    move(base + child, base + at);
                    at = child;
                }
                put(base + at, s, ix, lb);
            }
        }

        private void move(int from, int to) {
            put(to, score[from], index[from], label[from]);
        }

        private void put(int at, double s, long ix, int lb) {
            score[at] = s;
            index[at] = ix;
            label[at] = lb;
        }
    }

    /** A block of queries as broadcast: their rows (for the exact scores) and the same augmented as the left side of the product. */
    record Block(long[] index, int[] label, float[] x, float[] left, int d) implements Serializable {
        int rows() {
            return index.length;
        }
    }

    /**
     * @param table the embeddings and labels
     * @param embedding the array column
     * @param label the integer label column
     * @param id an id column that errors name rows by, or null (rows are then named by their place in the table)
     */
    public static Result of(Dataset<Row> table, String embedding, String label, String id, Options options) {
        JavaRDD<Chunk> built = chunks(table, embedding, label, id, options.normalize(), options.chunk());
        // every block is one task per partition: partitions a multiple of the cores, or the last round leaves cores idle (3 on 2 cores
        // took 0.75 of 1 core's time instead of 0.5); chunks are the unit moved, so the balance is within a chunk's rows
        int cores = table.sparkSession().sparkContext().defaultParallelism();
        int parts = built.getNumPartitions();
        if (parts % cores != 0) {
            built = built.repartition(cores * ((parts + cores - 1) / cores));
        }
        JavaRDD<Chunk> chunks = built.cache();
        try {
            Map<Integer, Long> classSizes = chunks.map(SparkRetrieval::labelCounts).fold(new HashMap<>(), SparkRetrieval::mergeCounts);
            long n = classSizes.values().stream().mapToLong(Long::longValue).sum();
            if (n < 2) {
                throw new EmbregException("retrieval needs at least 2 rows, got " + n);
            }
            long largest = classSizes.values().stream().mapToLong(Long::longValue).max().orElse(1);
            Tally tally = new Tally(new RetrievalTally(options.ks(), RetrievalTally.depth(largest, n)), classSizes);
            int k = (int) Math.min(n - 1, tally.metrics.searchLength());
            JavaRDD<Chunk> queryChunks = chunks;
            long queries = n;
            if (options.sampleQueries() > 0 && options.sampleQueries() < n) {
                int[] sample = Uniformity.sampleIndices(Math.toIntExact(n), Math.toIntExact(options.sampleQueries()), options.seed());
                long[] sorted = Arrays.stream(sample).asLongStream().sorted().toArray();
                queryChunks = chunks.map(c -> c.only(sorted)).filter(c -> c.rows() > 0);
                queries = sample.length;
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(table.sparkSession().sparkContext());
            Iterator<Chunk> it = queryChunks.toLocalIterator();
            while (it.hasNext()) {
                Chunk c = it.next();
                for (int from = 0; from < c.rows(); from += options.block()) {
                    Chunk q = c.range(from, Math.min(c.rows(), from + options.block()));
                    Block block = new Block(q.index, q.label, q.data, RecallAtK.augmented(q.data, 0, q.rows(), q.d, true), q.d);
                    Broadcast<Block> shared = jsc.broadcast(block);
                    int kk = k;
                    // the partitions' k best merged pairwise on the executors (tree reduction): the driver receives one block x k list
                    Hits merged = chunks.mapPartitions((Iterator<Chunk> rows) -> List.of(search(shared.value(), rows, kk)).iterator())
                            .treeReduce(Hits::merge);
                    shared.destroy();
                    tally.add(block, List.of(merged));
                }
            }
            TreeMap<Integer, Double> recall = new TreeMap<>();
            double[] r = tally.metrics.recallAt();
            for (int i = 0; i < options.ks().length; i++) {
                if (options.ks()[i] < n) {
                    recall.put(options.ks()[i], r[i]);
                }
            }
            return new Result(recall, tally.metrics.map(), tally.metrics.ranking(), queries, n, classSizes.size());
        } finally {
            chunks.unpersist();
        }
    }

    /** The table's rows as chunks of at most {@code chunk} rows, indexed in table order, checked, normalized when asked. */
    static JavaRDD<Chunk> chunks(Dataset<Row> table, String embedding, String label, String id, boolean normalize, int chunk) {
        String[] cols = id == null ? new String[] {embedding, label} : new String[] {embedding, label, id};
        SparkTables.requireColumns(table, cols);
        Dataset<Row> selected = table.select(cols[0], Arrays.copyOfRange(cols, 1, cols.length));
        return selected.javaRDD().zipWithIndex().mapPartitions(rows -> {
            List<Chunk> out = new ArrayList<>();
            List<float[]> x = new ArrayList<>();
            List<Long> ix = new ArrayList<>();
            List<Integer> lb = new ArrayList<>();
            int d = -1;
            while (rows.hasNext()) {
                scala.Tuple2<Row, Long> t = rows.next();
                Row r = t._1();
                String which = id == null ? "row " + t._2() : "the row with " + id + " " + r.get(2);
                float[] v = SparkTables.embedding(r, 0, d, problem -> new EmbregException(which + " " + problem));
                d = v.length;
                x.add(normalize ? SparkSpectrum.normalizedFloats(v) : v);
                ix.add(t._2());
                lb.add(SparkTables.label(r, 1, which));
                if (x.size() == chunk) {
                    out.add(chunk(x, ix, lb, d));
                }
            }
            if (!x.isEmpty()) {
                out.add(chunk(x, ix, lb, d));
            }
            return out.iterator();
        });
    }

    private static Chunk chunk(List<float[]> x, List<Long> ix, List<Integer> lb, int d) {
        float[] data = new float[x.size() * d];
        for (int i = 0; i < x.size(); i++) {
            System.arraycopy(x.get(i), 0, data, i * d, d);
        }
        Chunk c = new Chunk(ix.stream().mapToLong(Long::longValue).toArray(), lb.stream().mapToInt(Integer::intValue).toArray(), data, d);
        x.clear();
        ix.clear();
        lb.clear();
        return c;
    }

    private static Map<Integer, Long> labelCounts(Chunk c) {
        Map<Integer, Long> m = new HashMap<>();
        for (int y : c.label) {
            m.merge(y, 1L, Long::sum);
        }
        return m;
    }

    private static Map<Integer, Long> mergeCounts(Map<Integer, Long> a, Map<Integer, Long> b) {
        Map<Integer, Long> m = new HashMap<>(a);
        b.forEach((y, c) -> m.merge(y, c, Long::sum));
        return m;
    }

    /** The k best rows of this partition for each query of the block, the query itself excluded, scored by the engine. */
    static Hits search(Block block, Iterator<Chunk> chunks, int k) {
        int m = block.rows();
        int w = block.d() + 2;
        Hits hits = new Hits(m, k);
        if (!chunks.hasNext()) {
            return hits;
        }
        double[] queryNorm = new double[m];
        for (int q = 0; q < m; q++) {
            queryNorm[q] = norm(block.x(), q, block.d());
        }
        // the float32 product's rounding error is below (d + 2) * 2^-24 * (|x|^2 + |y|^2); sixteen times that is the margin
        double tolerance = (block.d() + 2) * 1e-6;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray left = manager.create(block.left(), new Shape(m, w));
            while (chunks.hasNext()) {
                Chunk c = chunks.next();
                if (c.d != block.d()) {
                    throw new EmbregException("row " + c.index[0] + " has " + c.d + " values where row " + block.index()[0] + " has " + block.d()
                            + " (ragged arrays)");
                }
                double[] rowNorm = new double[c.rows()];
                double maxNorm = 0;
                for (int r = 0; r < c.rows(); r++) {
                    rowNorm[r] = norm(c.data, r, c.d);
                    maxNorm = Math.max(maxNorm, rowNorm[r]);
                }
                try (NDManager tile = manager.newSubManager()) {
                    tile.tempAttachAll(left);
                    NDArray right = tile.create(RecallAtK.augmented(c.data, 0, c.rows(), c.d, false), new Shape(c.rows(), w));
                    NDArray scores = left.matMul(right.transpose());
                    if (hits.full() < m) {
                        // some query has fewer than k candidates yet: the engine's top k + margin of this chunk for each
                        int top = Math.min(k + RecallAtK.CANDIDATE_MARGIN + 1, c.rows());
                        NDList best = scores.topK(top, 1, true, false);
                        float[] v = best.get(0).toFloatArray();
                        long[] at = best.get(1).toType(DataType.INT64, false).toLongArray();
                        for (int q = 0; q < m; q++) {
                            for (int j = 0; j < top; j++) {
                                consider(hits, block, c, q, (int) at[q * top + j], v[q * top + j], tolerance * (queryNorm[q] + rowNorm[(int) at[q * top + j]]));
                            }
                        }
                    } else {
                        // every query has k: only rows whose float score, even off by its rounding bound, reaches the k-th best exact score
                        float[] v = scores.toFloatArray();
                        int n = c.rows();
                        for (int q = 0; q < m; q++) {
                            double loosest = tolerance * (queryNorm[q] + maxNorm);
                            double worst = hits.worst(q);
                            for (int r = 0; r < n; r++) {
                                float f = v[q * n + r];
                                if (f + loosest >= worst) {
                                    consider(hits, block, c, q, r, f, tolerance * (queryNorm[q] + rowNorm[r]));
                                }
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }

    /** Offers row r of a chunk to query q when it is not the query and its float score plus its rounding bound may enter the k best. */
    private static void consider(Hits hits, Block block, Chunk c, int q, int r, float score, double bound) {
        if (c.index[r] != block.index()[q] && hits.mayEnter(q, score + bound)) {
            hits.offer(q, RecallAtK.exactScore(block.x(), q, c.data, r, c.d), c.index[r], c.label[r]);
        }
    }

    /** |x|^2 of row r. */
    private static double norm(float[] data, int r, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double v = data[r * d + c];
            s += v * v;
        }
        return s;
    }

    /** The metrics' running sums over the query blocks. */
    private static final class Tally {
        final RetrievalTally metrics;
        final Map<Integer, Long> classSizes;

        Tally(RetrievalTally metrics, Map<Integer, Long> classSizes) {
            this.metrics = metrics;
            this.classSizes = classSizes;
        }

        /** Merges the partitions' candidates of each query of a block (best first, ties by index) and counts its metrics. */
        void add(Block block, List<Hits> parts) {
            for (int q = 0; q < block.rows(); q++) {
                int total = 0;
                for (Hits p : parts) {
                    total += p.count[q];
                }
                double[] score = new double[total];
                long[] index = new long[total];
                int[] label = new int[total];
                Integer[] order = new Integer[total];
                int t = 0;
                for (Hits p : parts) {
                    for (int j = 0; j < p.count[q]; j++) {
                        score[t] = p.score[q * p.k + j];
                        index[t] = p.index[q * p.k + j];
                        label[t] = p.label[q * p.k + j];
                        order[t] = t;
                        t++;
                    }
                }
                Arrays.sort(order, (a, b) -> {
                    int c = Double.compare(score[b], score[a]);
                    return c != 0 ? c : Long.compare(index[a], index[b]);
                });
                int[] ranked = new int[total];
                for (int j = 0; j < total; j++) {
                    ranked[j] = label[order[j]];
                }
                int y = block.label()[q];
                metrics.add(y, classSizes.get(y), ranked, 0, total);
            }
        }
    }
}
