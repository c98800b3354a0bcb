package org.embreg.spark;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.experiments.analyze.EmbeddingAnalysis;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.metric.RecallAtK;
import org.embreg.metric.Uniformity;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;

/**
 * {@code embreg analyze} on a Spark table: the same diagnostics with the same definitions and the
 * same JSON keys ({@link EmbeddingAnalysis.Analysis}), computed where the data lies: the spectrum and
 * per-dimension statistics in one pass ({@link SparkSpectrum}), uniformity over the same seeded
 * sample of rows the single machine takes, exact retrieval metrics ({@link SparkRetrieval}) and
 * NMI/AMI of MLlib's k-means ({@link SparkNmi}) when there are labels, plus where and how long
 * each stage ran. The VICReg terms and alignment need a second view of every row and are not
 * computed here.
 */
public final class SparkAnalysis {
    private SparkAnalysis() {}

    /**
     * @param normalize whether the spectrum and retrieval use L2-normalized rows (analyze's default)
     * @param collapseThreshold std below which a dimension counts as collapsed
     * @param seed the uniformity sample's, k-means' and the query sample's seed
     * @param sampleQueries 0: exact retrieval metrics; otherwise an estimate from that many sampled queries
     * @param block queries per broadcast block of the neighbour search
     * @param clusters whether to run k-means for NMI and AMI
     */
    public record Options(boolean normalize, double collapseThreshold, long seed, long sampleQueries, int block, boolean clusters) {
        public Options {
            if (!Double.isFinite(collapseThreshold) || collapseThreshold < 0) {
                throw new IllegalArgumentException("--collapse-threshold must be a finite number >= 0 (a standard deviation), got " + collapseThreshold);
            }
            if (sampleQueries < 0) {
                throw new IllegalArgumentException("--sample-queries must be >= 0 (0: every row is a query), got " + sampleQueries);
            }
            if (block < 1) {
                throw new IllegalArgumentException("--query-block must be >= 1, got " + block);
            }
        }
    }

    /**
     * Where and how the analysis ran.
     *
     * @param sparkVersion Spark's version
     * @param master the master URL
     * @param executors executors (in local mode, the driver)
     * @param defaultParallelism Spark's default parallelism (cores)
     * @param partitions partitions of the table
     * @param source what the table was read from
     * @param retrievalQueries queries the retrieval metrics were computed over
     * @param retrievalEstimate whether those are a seeded sample (the metrics an estimate), not every row
     * @param stageSeconds wall time of each stage, in order
     */
    public record Provenance(String sparkVersion, String master, int executors, int defaultParallelism, int partitions, String source,
            Long retrievalQueries, Boolean retrievalEstimate, Map<String, Double> stageSeconds) {}

    /**
     * @param analysis what analyze reports, key for key
     * @param spark where and how it ran
     */
    public record Report(EmbeddingAnalysis.Analysis analysis, Provenance spark) {}

    /**
     * Runs the analysis.
     *
     * @throws EmbregException for bad data, naming {@link SparkInputs.Table#source} and the row, also when a task met it
     */
    public static Report run(SparkInputs.Table table, Options o, SymmetricEigenSolver solver) {
        try {
            return analyze(table, o, solver);
        } catch (Exception e) { // Spark's SparkException is checked, thrown through Scala undeclared
            throw SparkTables.dataError(e, table.source());
        }
    }

    private static Report analyze(SparkInputs.Table t, Options o, SymmetricEigenSolver solver) {
        Map<String, Double> stages = new LinkedHashMap<>();
        long start = System.nanoTime();
        SparkSpectrum.Result sp = SparkSpectrum.of(t.rows(), t.embedding(), solver, o.normalize());
        start = lap(stages, "spectrum and dimensions", start);
        int n = Math.toIntExact(sp.rows());
        int d = sp.std().length;
        Spectrum unit = sp.unitSpectrum();
        double meanUnitStd = Arrays.stream(sp.unitStd()).average().orElse(0);
        DimensionStats dims = DimensionStats.fromStd(sp.std(), o.collapseThreshold());
        CollapseMeasures m = new CollapseMeasures(n, d, unit.meanSingularValue(), unit.lowerBound(), unit.upperBound(), unit.bandPosition(),
                unit.effectiveRank(), meanUnitStd, 1 / Math.sqrt(d), dims.collapsed(), o.collapseThreshold());
        Uniformity.Result u = uniformity(t, d, o.seed());
        start = lap(stages, "uniformity", start);
        EmbeddingAnalysis.Retrieval retrieval = null;
        Long queries = null;
        if (t.label() != null) {
            SparkRetrieval.Options ro = new SparkRetrieval.Options(o.normalize(), RecallAtK.paperKs(), o.block(), o.block(), o.sampleQueries(), o.seed());
            SparkRetrieval.Result r = SparkRetrieval.of(t.rows(), t.embedding(), t.label(), t.id(), ro);
            start = lap(stages, "retrieval", start);
            Double nmi = null;
            Double ami = null;
            if (o.clusters()) {
                SparkNmi.Result c = SparkNmi.of(t.rows(), t.embedding(), t.label(), o.seed(), o.normalize());
                start = lap(stages, "k-means and NMI", start);
                nmi = c.nmi();
                ami = c.ami();
            }
            retrieval = EmbeddingAnalysis.Retrieval.of(new TreeMap<>(r.recallAt()), r.map(), r.ranking(), nmi, ami, r.classes());
            queries = r.queries();
        }
        Spectrum s = sp.spectrum();
        EmbeddingAnalysis.Analysis a = new EmbeddingAnalysis.Analysis(n, d, o.normalize(),
                new EmbeddingAnalysis.SpectrumSummary(s.meanSingularValue(), s.lowerBound(), s.upperBound(), s.bandPosition(), s.svmaxLoss(),
                        s.effectiveRank(), s.singularValues()),
                new EmbeddingAnalysis.Dimensions(dims.std(), dims.collapsed(), dims.threshold()),
                new EmbeddingAnalysis.Spread(meanUnitStd, 1 / Math.sqrt(d), u.value(), u.rows(), null),
                EmbeddingAnalysis.findings(m, o.collapseThreshold()), null, retrieval);
        SparkContext sc = t.rows().sparkSession().sparkContext();
        Provenance p = new Provenance(sc.version(), sc.master(), sc.statusTracker().getExecutorInfos().length, sc.defaultParallelism(),
                t.rows().rdd().getNumPartitions(), t.source(), queries, queries == null ? null : queries < n, stages);
        return new Report(a, p);
    }

    private static long lap(Map<String, Double> stages, String name, long start) {
        long now = System.nanoTime();
        stages.put(name, (now - start) / 1e9);
        return now;
    }

    /**
     * Uniformity over the rows the single machine takes: those of smallest {@link Uniformity#sampleKey}
     * (at most {@link EmbeddingAnalysis#UNIFORMITY_ROWS}), found in one pass, each task keeping its
     * smallest and tree aggregation merging them, whatever order the table's rows come in.
     */
    private static Uniformity.Result uniformity(SparkInputs.Table t, int d, long seed) {
        int rows = EmbeddingAnalysis.UNIFORMITY_ROWS;
        Smallest s = t.rows().select(t.embedding()).javaRDD().map(r -> SparkSpectrum.normalizedFloats(SparkTables.toFloats(r, 0)))
                .treeAggregate(new Smallest(rows, seed), Smallest::add, Smallest::merge);
        List<Smallest.Keyed> picked = new java.util.ArrayList<>(s.heap);
        picked.sort(Smallest::order);
        float[] data = new float[picked.size() * d];
        for (int i = 0; i < picked.size(); i++) {
            System.arraycopy(picked.get(i).row(), 0, data, i * d, d);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return Uniformity.uniformity(manager, new Matrix(data, picked.size(), d), Uniformity.T, rows, seed);
        }
    }

    /** The rows of smallest sample key seen so far, at most a capacity of them. */
    static final class Smallest implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        record Keyed(long key, float[] row) implements java.io.Serializable {}

        final int capacity;
        final long seed;
        /** The largest kept on top. */
        final java.util.PriorityQueue<Keyed> heap = new java.util.PriorityQueue<>(
                (java.util.Comparator<Keyed> & java.io.Serializable) (a, b) -> order(b, a));

        Smallest(int capacity, long seed) {
            this.capacity = capacity;
            this.seed = seed;
        }

        static int order(Keyed a, Keyed b) {
            return Uniformity.compareKeyed(a.key(), a.row(), 0, b.key(), b.row(), 0, a.row().length);
        }

        Smallest add(float[] row) {
            return offer(new Keyed(Uniformity.sampleKey(row, 0, row.length, seed), row));
        }

        private Smallest offer(Keyed k) {
            if (heap.size() < capacity) {
                heap.add(k);
            } else if (order(k, heap.peek()) < 0) {
                heap.poll();
                heap.add(k);
            }
            return this;
        }

        Smallest merge(Smallest o) {
            for (Keyed k : o.heap) {
                offer(k);
            }
            return this;
        }
    }
}
