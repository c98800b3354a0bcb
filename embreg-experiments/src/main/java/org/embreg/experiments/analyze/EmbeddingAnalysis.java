package org.embreg.experiments.analyze;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.TermValue;
import org.embreg.metric.KMeans;
import org.embreg.metric.MapAtR;
import org.embreg.metric.NeighbourMetrics;
import org.embreg.metric.Nmi;
import org.embreg.metric.RankingMetrics;
import org.embreg.metric.RecallAtK;
import org.embreg.metric.Uniformity;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.train.CollapseMeasure;
import org.embreg.train.CollapseThresholds;
import org.embreg.regularizer.VicregLoss;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;

/**
 * The diagnostics of {@code embreg analyze}, with the definitions the training monitor uses
 * ({@link CollapseMeasures}): the singular spectrum with the SVMax bounds, the per-dimension spread
 * of the embeddings as given, the spread of the normalized rows (their standard deviation against
 * 1/sqrt(d), uniformity and, with a second view, alignment), the monitor's collapse findings, the
 * VICReg terms when a second view is given, and retrieval metrics when labels are given.
 */
public final class EmbeddingAnalysis {
    private EmbeddingAnalysis() {}

    /**
     * What to analyze.
     *
     * @param embeddings b x d
     * @param secondView b x d or null
     * @param labels b labels or null
     * @param normalize whether rows are L2-normalized for the spectrum, dimensions and retrieval
     * @param collapseThreshold std below which a dimension counts as collapsed: finite and >= 0
     * @param seed seeds k-means
     * @param clusters whether to cluster (k-means at k = classes) for NMI and AMI; its cost grows with the number of classes
     */
    public record Input(Matrix embeddings, Matrix secondView, int[] labels, boolean normalize, double collapseThreshold, long seed, boolean clusters) {
        /** With clustering. */
        public Input(Matrix embeddings, Matrix secondView, int[] labels, boolean normalize, double collapseThreshold, long seed) {
            this(embeddings, secondView, labels, normalize, collapseThreshold, seed, true);
        }

        public Input {
            if (embeddings == null) {
                throw new IllegalArgumentException("--embeddings is required");
            }
            if (!Double.isFinite(collapseThreshold) || collapseThreshold < 0) {
                throw new IllegalArgumentException("--collapse-threshold must be a finite number >= 0 (a standard deviation), got " + collapseThreshold);
            }
        }
    }

    /**
     * Runs the analysis.
     *
     * @param solver the host eigensolver of the spectrum
     */
    public static Analysis run(NDManager manager, Input in, SymmetricEigenSolver solver) {
        Matrix e = in.embeddings();
        if (e.rows() < 2) {
            throw new EmbregException("--embeddings: a batch needs at least 2 rows, got shape (" + e.rows() + ", " + e.cols() + ")");
        }
        if (e.cols() < 2) {
            throw new EmbregException("--embeddings has shape (" + e.rows() + ", " + e.cols() + "), " + (e.cols() == 0 ? "no columns" : "one column")
                    + ": the SVMax bounds need at least 2 columns (with one the lower and upper bounds coincide, L = U, and the bounded "
                    + "SVMax loss is undefined)");
        }
        checkFinite(e, "--embeddings");
        Matrix x = in.normalize() ? e.normalizedRows() : e;
        Spectrum s = Spectrum.of(x, solver);
        // the monitor's measures are defined on the normalized rows, whatever --no-normalize asks of the spectrum
        CollapseMeasures m = CollapseMeasures.of(e, in.normalize() ? s : Spectrum.of(e.normalizedRows(), solver), in.collapseThreshold());
        DimensionStats dims = DimensionStats.of(e, in.collapseThreshold());
        Matrix unit = e.normalizedRows();
        Uniformity.Result u = Uniformity.uniformity(manager, unit, Uniformity.T, UNIFORMITY_ROWS, in.seed());
        Map<String, Double> vicreg = null;
        Double alignment = null;
        if (in.secondView() != null) {
            Matrix z = in.secondView();
            if (z.rows() != e.rows() || z.cols() != e.cols()) {
                throw new EmbregException("--second-view has shape (" + z.rows() + ", " + z.cols() + ") but --embeddings has (" + e.rows() + ", " + e.cols() + ")");
            }
            checkFinite(z, "--second-view");
            vicreg = vicreg(manager, e, z);
            alignment = Uniformity.alignment(unit, z.normalizedRows(), Uniformity.ALPHA);
        }
        Retrieval retrieval = null;
        if (in.labels() != null) {
            if (in.labels().length != e.rows()) {
                throw new EmbregException("--labels has " + in.labels().length + " labels but --embeddings has " + e.rows() + " rows");
            }
            retrieval = retrieval(manager, x, in.labels(), in.seed(), in.clusters());
        }
        return new Analysis(e.rows(), e.cols(), in.normalize(),
                new SpectrumSummary(s.meanSingularValue(), s.lowerBound(), s.upperBound(), s.bandPosition(), s.svmaxLoss(), s.effectiveRank(),
                        s.singularValues()),
                new Dimensions(dims.std(), dims.collapsed(), dims.threshold()),
                new Spread(m.normalizedRowStd(), m.healthyRowStd(), u.value(), u.rows(), alignment), findings(m, in.collapseThreshold()), vicreg,
                retrieval);
    }

    /** Uniformity is computed over at most this many rows (a seeded sample beyond). */
    public static final int UNIFORMITY_ROWS = 10_000;

    /**
     * The analysis, as {@code --json} prints it.
     *
     * @param rows b
     * @param dim d
     * @param normalized whether the spectrum and retrieval use L2-normalized rows
     * @param spectrum the singular spectrum and the SVMax bounds
     * @param dimensions per-column standard deviations of the embeddings as given
     * @param spread the spread of the normalized rows
     * @param collapse the collapse monitor's findings with its default thresholds (empty: none)
     * @param vicreg the VICReg terms (with a second view), or null
     * @param retrieval retrieval metrics (with labels), or null
     */
    public record Analysis(int rows, int dim, boolean normalized, SpectrumSummary spectrum, Dimensions dimensions, Spread spread,
            List<Finding> collapse, Map<String, Double> vicreg, Retrieval retrieval) {}

    /** s_mu in [L, U], its place in the band, the bounded SVMax loss (lambda 1), effective rank and the singular values. */
    public record SpectrumSummary(double meanSingularValue, double lowerBound, double upperBound, double bandPosition, double svmaxLoss,
            double effectiveRank, double[] singularValues) {}

    /** Per-column std of the embeddings as given and how many are below the threshold. */
    public record Dimensions(double[] std, int collapsed, double threshold) {}

    /**
     * The spread of the L2-normalized rows.
     *
     * @param normalizedRowStd mean column std of the normalized rows
     * @param healthyRowStd 1/sqrt(d), that of rows spread uniformly on the sphere
     * @param uniformity Wang and Isola's uniformity (t = 2)
     * @param uniformityRows the rows it was computed over
     * @param alignment Wang and Isola's alignment (alpha = 2) with the second view, or null
     */
    public record Spread(double normalizedRowStd, double healthyRowStd, double uniformity, int uniformityRows, Double alignment) {}

    /** A collapse measure past its threshold, as the training monitor would warn. */
    public record Finding(CollapseMeasure measure, String description, double value, double threshold) {}

    /**
     * Retrieval metrics with every row a query; recallAt by K (the paper's definition: a query whose class has no other
     * row counts as a miss); MAP@R, R-precision, precision@1, mean reciprocal rank and mean average precision as
     * pytorch-metric-learning defines them (such queries left out, {@link RankingMetrics}); NMI and AMI of k-means at
     * k = classes (null when not clustered).
     */
    public record Retrieval(Map<Integer, Double> recallAt, double mapAtR, double rPrecision, double precisionAt1, double meanReciprocalRank,
            double meanAveragePrecision, Double nmi, Double ami, int classes) {
        /** From a neighbour search's metrics. */
        public static Retrieval of(Map<Integer, Double> recallAt, MapAtR.Result map, RankingMetrics.Result ranking, Double nmi, Double ami, int classes) {
            return new Retrieval(recallAt, map.mapAtR(), map.rPrecision(), ranking.precisionAt1(), ranking.meanReciprocalRank(),
                    ranking.meanAveragePrecision(), nmi, ami, classes);
        }
    }

    /** The collapse monitor's findings for measures already taken, with its default thresholds and the given dimension threshold. */
    public static List<Finding> findings(CollapseMeasures m, double dimensionThreshold) {
        CollapseThresholds d = CollapseThresholds.DEFAULT;
        CollapseThresholds t = new CollapseThresholds(d.minBandPosition(), d.minEffectiveRankFraction(), d.minNormalizedStdFraction(),
                d.maxCollapsedDimensions(), dimensionThreshold);
        List<Finding> out = new ArrayList<>();
        for (CollapseMeasure measure : CollapseMeasure.values()) {
            double value = measure.value(m);
            if (!Double.isNaN(value) && measure.crosses(value, t.of(measure))) {
                out.add(new Finding(measure, measure.description(), value, t.of(measure)));
            }
        }
        return out;
    }

    private static Retrieval retrieval(NDManager manager, Matrix x, int[] labels, long seed, boolean clusters) {
        int[] ks = RecallAtK.paperKs();
        int usable = 0;
        for (int k : ks) {
            usable += k <= x.rows() - 1 ? 1 : 0;
        }
        int[] validKs = java.util.Arrays.copyOf(ks, usable);
        NeighbourMetrics.Result search = NeighbourMetrics.compute(manager, x, labels, validKs);
        double[] r = search.recallAt();
        Map<Integer, Double> recall = new TreeMap<>();
        for (int i = 0; i < validKs.length; i++) {
            recall.put(validKs[i], r[i]);
        }
        MapAtR.Result map = search.map();
        int classes = (int) java.util.Arrays.stream(labels).distinct().count();
        if (!clusters) {
            return Retrieval.of(recall, map, search.ranking(), null, null, classes);
        }
        int[] assignment = KMeans.withClusters(Math.min(classes, x.rows()), seed).fit(manager, x).assignment();
        return Retrieval.of(recall, map, search.ranking(), Nmi.of(labels, assignment), Nmi.ami(labels, assignment), classes);
    }

    private static Map<String, Double> vicreg(NDManager manager, Matrix e, Matrix z) {
        try (NDManager m = manager.newSubManager()) {
            VicregLoss loss = VicregLoss.builder().build();
            NDList views = new NDList(m.create(e.toDoubleRows()), m.create(z.toDoubleRows()));
            loss.evaluate(new NDList(), views);
            Map<String, Double> out = new LinkedHashMap<>();
            for (TermValue t : loss.lastTerms()) {
                out.put(t.name().substring("vicreg.".length()), t.value());
            }
            return out;
        }
    }

    private static void checkFinite(Matrix m, String option) {
        int bad = m.firstNonFiniteRow();
        if (bad >= 0) {
            throw new EmbregException(option + ": row " + bad + " contains NaN or Inf (shape (" + m.rows() + ", " + m.cols() + "))");
        }
    }

    /** A readable report with a verdict. */
    public static String report(Analysis a) {
        StringBuilder sb = new StringBuilder();
        SpectrumSummary s = a.spectrum();
        sb.append(String.format(Locale.ROOT, "embeddings: %d x %d%s%n", a.rows(), a.dim(), a.normalized() ? " (rows L2-normalized)" : ""));
        sb.append(String.format(Locale.ROOT, "mean singular value s_mu: %.5f  in [L, U] = [%.5f, %.5f]  (%.1f%% of the way up)%n",
                s.meanSingularValue(), s.lowerBound(), s.upperBound(), 100 * s.bandPosition()));
        sb.append(String.format(Locale.ROOT, "SVMax loss (bounded, lambda 1): %.5f   effective rank: %.2f of %d%n", s.svmaxLoss(), s.effectiveRank(),
                Math.min(a.rows(), a.dim())));
        sb.append("singular values (largest 8): ");
        for (int i = 0; i < Math.min(8, s.singularValues().length); i++) {
            sb.append(String.format(Locale.ROOT, "%.4g ", s.singularValues()[i]));
        }
        sb.append(String.format(Locale.ROOT, "%ncollapsed dimensions of the embeddings as given (std < %.1e): %d of %d%n", a.dimensions().threshold(),
                a.dimensions().collapsed(), a.dim()));
        Spread sp = a.spread();
        sb.append(String.format(Locale.ROOT, "normalized rows: std %.5f (uniform on the sphere: %.5f), uniformity %.4f over %d rows%s%n",
                sp.normalizedRowStd(), sp.healthyRowStd(), sp.uniformity(), sp.uniformityRows(),
                sp.alignment() == null ? "" : String.format(Locale.ROOT, ", alignment with the second view %.5f", sp.alignment())));
        if (a.collapse().isEmpty()) {
            sb.append("verdict: no collapse detected\n");
        } else {
            sb.append("verdict: collapse:\n");
            for (Finding f : a.collapse()) {
                String side = f.measure() == CollapseMeasure.COLLAPSED_DIMENSIONS ? "above the maximum" : "below the minimum";
                sb.append(String.format(Locale.ROOT, "  %s is %.4g, %s %.4g%n", f.description(), f.value(), side, f.threshold()));
            }
        }
        if (a.vicreg() != null) {
            Map<String, Double> v = a.vicreg();
            sb.append(String.format(Locale.ROOT, "VICReg: invariance %.5f, variance %.5f / %.5f, covariance %.5f / %.5f, total %.5f%n", v.get("invariance"),
                    v.get("variance"), v.get("varianceSecondView"), v.get("covariance"), v.get("covarianceSecondView"), v.get("total")));
        }
        if (a.retrieval() != null) {
            Retrieval r = a.retrieval();
            sb.append("retrieval: ");
            r.recallAt().forEach((k, v) -> sb.append(String.format(Locale.ROOT, "R@%d %.4f  ", k, v)));
            sb.append(String.format(Locale.ROOT, "MAP@R %.4f  R-precision %.4f  %s(%d classes)%n", r.mapAtR(), r.rPrecision(),
                    r.nmi() == null ? "" : String.format(Locale.ROOT, "NMI %.4f  AMI %.4f ", r.nmi(), r.ami()), r.classes()));
        }
        return sb.toString();
    }
}
