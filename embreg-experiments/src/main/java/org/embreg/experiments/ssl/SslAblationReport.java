package org.embreg.experiments.ssl;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.report.RunDirectory;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The ablation's table (Markdown and CSV) and chart. */
final class SslAblationReport {
    private SslAblationReport() {}

    static void write(RunDirectory dir, SslExperiment.AblationRecord r) throws IOException {
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("objective", "knnTop1", "linearTop1", "representationEffectiveRank", "representationBandPosition", "embeddingEffectiveRank",
                "embeddingCollapsedDimensions", "stepSeconds", "diverged"));
        for (SslExperiment.Pretrained p : r.runs()) {
            rows.add(List.of(p.objective(), p.knnTop1(), p.linearTop1(), rank(p.representation()), band(p.representation()), rank(p.embedding()),
                    p.embedding() == null ? "" : p.embedding().collapsedDimensions(), p.stepSeconds(), p.divergence() != null));
        }
        dir.writeCsv("ablation.csv", rows);
        AtomicFiles.writeString(dir.root().resolve("table.md"), table(new double[] {r.randomInitKnnTop1(), r.randomInitLinearTop1()}, r.runs(),
                r.lossMillis()));
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520).title("k-NN and linear top-1 per pretraining objective")
                .xAxisTitle("objective").yAxisTitle("top-1").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        List<String> names = new ArrayList<>();
        List<Double> knn = new ArrayList<>();
        List<Double> linear = new ArrayList<>();
        for (SslExperiment.Pretrained p : r.runs()) {
            names.add(p.objective());
            knn.add(p.knnTop1());
            linear.add(p.linearTop1());
        }
        names.add("random init");
        knn.add(r.randomInitKnnTop1());
        linear.add(r.randomInitLinearTop1());
        chart.addSeries("k-NN", names, knn);
        chart.addSeries("linear", names, linear);
        dir.writePng("ablation.png", chart);
    }

    /** A Markdown table of the objectives, the random initialization and the loss timings. */
    static String table(double[] randomInit, List<SslExperiment.Pretrained> runs, Map<String, Double> millis) {
        StringBuilder sb = new StringBuilder();
        sb.append("| objective | k-NN top-1 | linear top-1 | rep. effective rank | rep. band position | emb. effective rank | emb. collapsed dims |"
                + " s / step |\n|---|---|---|---|---|---|---|---|\n");
        for (SslExperiment.Pretrained p : runs) {
            sb.append(String.format(Locale.ROOT, "| %s%s | %.4f | %.4f | %s | %s | %s | %s | %.3f |%n", p.objective(),
                    p.divergence() != null ? " (diverged at step " + p.divergence().iteration() + ")" : "", p.knnTop1(), p.linearTop1(),
                    rankOf(p.representation()), bandOf(p.representation()), rankOf(p.embedding()),
                    p.embedding() == null ? "-" : Integer.toString(p.embedding().collapsedDimensions()), p.stepSeconds()));
        }
        sb.append(String.format(Locale.ROOT, "| random init | %.4f | %.4f | | | | | |%n", randomInit[0], randomInit[1]));
        sb.append("\n| loss on two views of the expander's output | median ms (forward + backward) |\n|---|---|\n");
        millis.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "| %s | %.3f |%n", k, v)));
        return sb.toString();
    }

    private static Object rank(org.embreg.spectrum.CollapseMeasures m) {
        return m == null ? "" : m.effectiveRank();
    }

    private static Object band(org.embreg.spectrum.CollapseMeasures m) {
        return m == null ? "" : m.bandPosition();
    }

    /** "12.3 / 64", or "-" when the output was not finite. */
    private static String rankOf(org.embreg.spectrum.CollapseMeasures m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.1f / %d", m.effectiveRank(), m.dim());
    }

    private static String bandOf(org.embreg.spectrum.CollapseMeasures m) {
        return m == null ? "-" : String.format(Locale.ROOT, "%.3f", m.bandPosition());
    }
}
