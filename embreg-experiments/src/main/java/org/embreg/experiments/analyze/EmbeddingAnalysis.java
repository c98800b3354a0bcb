package org.embreg.experiments.analyze;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.Matrix;
import org.embreg.loss.TermValue;
import org.embreg.metric.KMeans;
import org.embreg.metric.MapAtR;
import org.embreg.metric.Nmi;
import org.embreg.metric.RecallAtK;
import org.embreg.regularizer.VicregLoss;
import org.embreg.spectrum.DimensionStats;
import org.embreg.spectrum.Spectrum;

/**
 * The diagnostics of {@code embreg analyze}: the singular spectrum with the SVMax bounds, the
 * per-dimension spread, the VICReg terms when a second view is given, and retrieval metrics when
 * labels are given.
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
     */
    public record Input(Matrix embeddings, Matrix secondView, int[] labels, boolean normalize, double collapseThreshold, long seed) {
        public Input {
            if (embeddings == null) {
                throw new IllegalArgumentException("--embeddings is required");
            }
            if (!Double.isFinite(collapseThreshold) || collapseThreshold < 0) {
                throw new IllegalArgumentException("--collapse-threshold must be a finite number >= 0 (a standard deviation), got " + collapseThreshold);
            }
        }
    }

    /** Runs the analysis; the map's layout is the JSON output's. */
    public static Map<String, Object> run(NDManager manager, Input in) {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", e.rows());
        out.put("dim", e.cols());
        out.put("normalized", in.normalize());
        Spectrum s = Spectrum.of(x);
        Map<String, Object> spectrum = new LinkedHashMap<>();
        spectrum.put("meanSingularValue", s.meanSingularValue());
        spectrum.put("lowerBound", s.lowerBound());
        spectrum.put("upperBound", s.upperBound());
        spectrum.put("svmaxLoss", s.svmaxLoss());
        spectrum.put("effectiveRank", s.effectiveRank());
        spectrum.put("singularValues", s.singularValues());
        out.put("spectrum", spectrum);
        DimensionStats dims = DimensionStats.of(x, in.collapseThreshold());
        Map<String, Object> dimensions = new LinkedHashMap<>();
        dimensions.put("std", dims.std());
        dimensions.put("collapsed", dims.collapsed());
        dimensions.put("threshold", dims.threshold());
        out.put("dimensions", dimensions);
        if (in.secondView() != null) {
            Matrix z = in.secondView();
            if (z.rows() != e.rows() || z.cols() != e.cols()) {
                throw new EmbregException("--second-view has shape (" + z.rows() + ", " + z.cols() + ") but --embeddings has (" + e.rows() + ", " + e.cols() + ")");
            }
            checkFinite(z, "--second-view");
            out.put("vicreg", vicreg(manager, e, z));
        }
        if (in.labels() != null) {
            if (in.labels().length != e.rows()) {
                throw new EmbregException("--labels has " + in.labels().length + " labels but --embeddings has " + e.rows() + " rows");
            }
            Map<String, Object> retrieval = new LinkedHashMap<>();
            int[] ks = RecallAtK.PAPER_KS;
            int usable = 0;
            for (int k : ks) {
                usable += k <= e.rows() - 1 ? 1 : 0;
            }
            int[] validKs = java.util.Arrays.copyOf(ks, usable);
            double[] r = RecallAtK.compute(manager, x, in.labels(), validKs);
            Map<String, Double> recall = new LinkedHashMap<>();
            for (int i = 0; i < validKs.length; i++) {
                recall.put(Integer.toString(validKs[i]), r[i]);
            }
            retrieval.put("recallAt", recall);
            MapAtR.Result map = MapAtR.compute(manager, x, in.labels());
            retrieval.put("mapAtR", map.mapAtR());
            retrieval.put("rPrecision", map.rPrecision());
            int classes = (int) java.util.Arrays.stream(in.labels()).distinct().count();
            retrieval.put("nmi", Nmi.of(in.labels(), KMeans.withClusters(Math.min(classes, e.rows()), in.seed()).fit(manager, x).assignment()));
            retrieval.put("classes", classes);
            out.put("retrieval", retrieval);
        }
        return out;
    }

    private static Map<String, Object> vicreg(NDManager manager, Matrix e, Matrix z) {
        try (NDManager m = manager.newSubManager()) {
            VicregLoss loss = VicregLoss.builder().build();
            NDList views = new NDList(m.create(e.toDoubleRows()), m.create(z.toDoubleRows()));
            loss.evaluate(new NDList(), views);
            Map<String, Object> out = new LinkedHashMap<>();
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

    /** A readable report of the analysis map. */
    @SuppressWarnings("unchecked")
    public static String report(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> s = (Map<String, Object>) a.get("spectrum");
        Map<String, Object> d = (Map<String, Object>) a.get("dimensions");
        sb.append(String.format(Locale.ROOT, "embeddings: %d x %d%s%n", a.get("rows"), a.get("dim"), (Boolean) a.get("normalized") ? " (rows L2-normalized)" : ""));
        double mu = (Double) s.get("meanSingularValue");
        double lo = (Double) s.get("lowerBound");
        double up = (Double) s.get("upperBound");
        double pos = up > lo ? (mu - lo) / (up - lo) : Double.NaN;
        sb.append(String.format(Locale.ROOT, "mean singular value s_mu: %.5f  in [L, U] = [%.5f, %.5f]  (%.1f%% of the way up)%n", mu, lo, up, 100 * pos));
        sb.append(String.format(Locale.ROOT, "SVMax loss (bounded, lambda 1): %.5f   effective rank: %.2f of %d%n", (Double) s.get("svmaxLoss"),
                (Double) s.get("effectiveRank"), Math.min((Integer) a.get("rows"), (Integer) a.get("dim"))));
        double[] sv = (double[]) s.get("singularValues");
        sb.append("singular values (largest 8): ");
        for (int i = 0; i < Math.min(8, sv.length); i++) {
            sb.append(String.format(Locale.ROOT, "%.4g ", sv[i]));
        }
        sb.append(String.format(Locale.ROOT, "%ncollapsed dimensions (std < %.1e): %d of %d%n", (Double) d.get("threshold"), (Integer) d.get("collapsed"), a.get("dim")));
        if (pos < 0.1) {
            sb.append("verdict: the embedding has collapsed towards rank 1\n");
        } else if ((Integer) d.get("collapsed") > 0) {
            sb.append("verdict: some dimensions have collapsed\n");
        } else {
            sb.append("verdict: no collapse detected\n");
        }
        if (a.containsKey("vicreg")) {
            Map<String, Object> v = (Map<String, Object>) a.get("vicreg");
            sb.append(String.format(Locale.ROOT, "VICReg: invariance %.5f, variance %.5f / %.5f, covariance %.5f / %.5f, total %.5f%n", v.get("invariance"),
                    v.get("variance"), v.get("varianceSecondView"), v.get("covariance"), v.get("covarianceSecondView"), v.get("total")));
        }
        if (a.containsKey("retrieval")) {
            Map<String, Object> r = (Map<String, Object>) a.get("retrieval");
            sb.append("retrieval: ");
            ((Map<String, Double>) r.get("recallAt")).forEach((k, v) -> sb.append(String.format(Locale.ROOT, "R@%s %.4f  ", k, v)));
            sb.append(String.format(Locale.ROOT, "MAP@R %.4f  R-precision %.4f  NMI %.4f (%d classes)%n", (Double) r.get("mapAtR"),
                    (Double) r.get("rPrecision"), (Double) r.get("nmi"), (Integer) r.get("classes")));
        }
        return sb.toString();
    }
}
