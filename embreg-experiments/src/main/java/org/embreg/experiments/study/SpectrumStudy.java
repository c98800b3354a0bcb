package org.embreg.experiments.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.report.Charts;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalMetrics;
import org.knowm.xchart.XYChart;

/**
 * The SVMax paper's Figure 6 on our data: the mean singular value s_mu of the test split's
 * normalized embeddings against the training batch size, without a regularizer and with SVMax, with
 * the bounds L and U of the test matrix drawn. Writes results.csv, table.md (per loss and
 * learning rate: s_mu, R@1 and effective rank per batch size) and spectrum.png (per loss: s_mu
 * against b with the bounds, and R@1 against b).
 *
 * @param preset iterations, learning rates and test images
 * @param losses the losses to run
 * @param dim embedding size
 * @param width small CNN width
 * @param seed seed of every run
 */
public record SpectrumStudy(StudyPreset preset, List<RankingLossKind> losses, int dim, int width, long seed) implements Study {
    /** Training batch sizes: multiples of every loss's samples per class (2, 4 and 6). */
    public static final List<Integer> BATCH_SIZES = List.of(36, 72, 144, 288);
    /** K = 300 at a moderate rate and at one where plain training degrades, 2,000 test images. */
    public static final StudyPreset QUICK = new StudyPreset(300, new double[] {0.1, 8}, 2000);
    /** K = 5000 on the whole test split. */
    public static final StudyPreset PAPER = new StudyPreset(5000, new double[] {0.1, 8}, 0);

    private static final List<RegularizerKind> ARMS = List.of(RegularizerKind.NONE, RegularizerKind.SVMAX);

    public SpectrumStudy {
        losses = List.copyOf(losses);
    }

    @Override
    public List<StudyRunner.StudyRun> runs() {
        List<StudyRunner.StudyRun> out = new ArrayList<>();
        for (RankingLossKind loss : losses) {
            for (double lr : preset.learningRates()) {
                for (int b : BATCH_SIZES) {
                    for (RegularizerKind reg : ARMS) {
                        out.add(StudyRunner.StudyRun.arm(loss, reg, lr, b, dim, width, seed, preset.iterations(), "b" + b));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException {
        StudyReports.writeCsv(dir, rows);
        AtomicFiles.writeString(dir.root().resolve("table.md"), table(rows));
        AtomicFiles.write(dir.root().resolve("spectrum.png"), charts(rows));
    }

    /** "svmax, lr 8.0". */
    static String line(StudyRow r) {
        return r.regularizer() + ", lr " + r.learningRate();
    }

    /** One block per loss; a line per regularizer and rate; s_mu / R@1 / effective rank per batch size. */
    static String table(List<StudyRow> rows) {
        StringBuilder sb = new StringBuilder("# Spectrum study\n\ns_mu / R@1 / effective rank of the test split's normalized embeddings, "
                + "per training batch size b. L and U bound s_mu for the test matrix's shape. A run that diverged has no scores.\n");
        for (String loss : StudyReports.distinct(rows, StudyRow::loss)) {
            List<StudyRow> in = rows.stream().filter(r -> r.loss().equals(loss)).toList();
            List<Integer> batches = in.stream().map(StudyRow::batch).distinct().sorted().toList();
            RetrievalMetrics bounds = bounds(in);
            sb.append(String.format(Locale.ROOT, "%n## %s (test matrix: L = %.3f, U = %.3f)%n%n| regularizer, lr |", loss,
                    bounds == null ? Double.NaN : bounds.lowerBound(), bounds == null ? Double.NaN : bounds.upperBound()));
            for (int b : batches) {
                sb.append(" b = ").append(b).append(": s_mu / R@1 / eff. rank |");
            }
            sb.append("\n|---|").append("---|".repeat(batches.size())).append('\n');
            for (String line : StudyReports.distinct(in, SpectrumStudy::line)) {
                sb.append("| ").append(line).append(" |");
                for (int b : batches) {
                    StudyRow r = in.stream().filter(x -> line(x).equals(line) && x.batch() == b).findFirst().orElse(null);
                    if (r == null) {
                        sb.append(" |");
                    } else if (r.metrics() == null) {
                        sb.append(" diverged at iteration ").append(r.divergence().iteration()).append(" |");
                    } else {
                        sb.append(String.format(Locale.ROOT, " %.3f / %.3f / %.1f |", r.metrics().meanSingularValue(), r.recallAt1(),
                                r.metrics().effectiveRank()));
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The metrics of the first run that has them (the bounds depend on the test matrix only), or null. */
    private static RetrievalMetrics bounds(List<StudyRow> rows) {
        return rows.stream().map(StudyRow::metrics).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Per loss: s_mu against b (log axis) with the test matrix's L and U, then R@1 against b. */
    static byte[] charts(List<StudyRow> rows) throws IOException {
        List<XYChart> panels = new ArrayList<>();
        for (String loss : StudyReports.distinct(rows, StudyRow::loss)) {
            List<StudyRow> in = rows.stream().filter(r -> r.loss().equals(loss)).toList();
            XYChart s = StudyReports.panel(loss + ": s_mu of the test embeddings", "training batch size b", "s_mu");
            s.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(false).setYAxisMin(0.0)
                    .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            StudyReports.addLines(s, in, SpectrumStudy::line, StudyRow::batch, r -> r.metrics().meanSingularValue());
            double minB = in.stream().mapToInt(StudyRow::batch).min().orElseThrow();
            double maxB = in.stream().mapToInt(StudyRow::batch).max().orElseThrow();
            RetrievalMetrics bounds = bounds(in);
            if (bounds != null) {
                Charts.addConstant(s, "upper bound U", minB, maxB, bounds.upperBound());
                Charts.addConstant(s, "lower bound L", minB, maxB, bounds.lowerBound());
            }
            panels.add(s);
            XYChart r = StudyReports.panel(loss + ": R@1", "training batch size b", "R@1");
            r.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(false).setYAxisMin(0.0).setYAxisMax(1.0)
                    .setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
            StudyReports.addLines(r, in, SpectrumStudy::line, StudyRow::batch, StudyRow::recallAt1);
            panels.add(r);
        }
        return StudyReports.grid(panels, 2);
    }
}
