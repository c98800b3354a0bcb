package org.embreg.experiments.study;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.embreg.data.AtomicFiles;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The SVMax paper's Table 1 and Figure 9 on our data: every ranking loss x {none, spread-out,
 * SVMax} x learning rates, on the open-set split. Writes results.csv, table.md (per loss and
 * learning rate: NMI, R@1, R@8 and the R@1 difference to the unregularized loss) and
 * recall-vs-lr.png (R@1 against the learning rate, one line per regularizer, one panel per loss).
 * Resumable: see {@link StudyRunner}.
 */
public final class LearningRateStudy {
    /**
     * How big a study is.
     *
     * @param iterations K per run
     * @param learningRates the sweep, including rates where plain training degrades
     * @param maxTestImages evaluation images (0 = all)
     */
    public record Preset(int iterations, double[] learningRates, int maxTestImages) {
        /** 60 runs of K = 300 with the small CNN: 29.5 minutes on the 2-core development machine. */
        public static final Preset QUICK = new Preset(300, new double[] {0.01, 0.1, 1, 8}, 2000);
        /** The paper's K = 5000, with rates down to 1e-4 and up to where plain training degrades here. */
        public static final Preset PAPER = new Preset(5000, new double[] {0.0001, 0.001, 0.01, 0.1, 1, 8}, 0);
    }

    private static final RegularizerKind[] ARMS = {RegularizerKind.NONE, RegularizerKind.SPREAD_OUT, RegularizerKind.SVMAX};

    private final DatasetLocator locator;
    private final Map<String, String> environment;

    public LearningRateStudy(DatasetLocator locator, Map<String, String> environment) {
        this.locator = locator;
        this.environment = environment;
    }

    /** The runs of a preset, in order. */
    public static List<StudyRunner.StudyRun> runs(Preset preset, List<RankingLossKind> losses, int dim, int width, long seed) {
        List<StudyRunner.StudyRun> out = new ArrayList<>();
        for (RankingLossKind loss : losses) {
            for (double lr : preset.learningRates()) {
                for (RegularizerKind reg : ARMS) {
                    double lambda = reg == RegularizerKind.NONE ? 0 : reg == RegularizerKind.SVMAX ? loss.svmaxWeight() : 1;
                    TrainingConfig c = new TrainingConfig(loss, Backbone.SMALL_CNN, null, preset.iterations(), lr, loss.classesPerBatch(),
                            loss.samplesPerClass(), dim, width, reg, lambda, seed, 10);
                    out.add(new StudyRunner.StudyRun(String.format(Locale.ROOT, "%s-%s-lr%s", loss.cliName(), reg.armName(), lr), c));
                }
            }
        }
        return out;
    }

    public List<StudyRow> run(Preset preset, List<RankingLossKind> losses, int dim, int width, long seed, Path dataDir, Path out,
            ProgressListener progress) throws IOException {
        OpenSetSplit split = OpenSetSplit.load(locator, dataDir, environment, 0, preset.maxTestImages());
        RunDirectory dir = new RunDirectory(out);
        return new StudyRunner(environment).run(runs(preset, losses, dim, width, seed), split, out, progress, rows -> writeReports(dir, rows));
    }

    static void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException {
        List<List<Object>> csv = new ArrayList<>();
        csv.add(StudyRow.csvHeader());
        for (StudyRow r : rows) {
            csv.add(r.csv());
        }
        dir.writeCsv("results.csv", csv);
        AtomicFiles.writeString(dir.root().resolve("table.md"), table(rows));
        AtomicFiles.write(dir.root().resolve("recall-vs-lr.png"), panels(rows));
    }

    /** Table 1's shape: one block per loss, one line per regularizer, NMI / R@1 / R@8 / dR@1 per learning rate. */
    static String table(List<StudyRow> rows) {
        StringBuilder sb = new StringBuilder("# Learning-rate study\n\nNMI / R@1 / R@8 per learning rate; dR@1 is the R@1 difference to the "
                + "unregularized loss at the same rate. (d) marks a run that diverged.\n");
        for (String loss : distinct(rows, StudyRow::loss)) {
            List<Double> lrs = rows.stream().filter(r -> r.loss().equals(loss)).map(StudyRow::learningRate).distinct().sorted().toList();
            sb.append("\n## ").append(loss).append("\n\n| regularizer |");
            for (double lr : lrs) {
                sb.append(String.format(Locale.ROOT, " lr %s: NMI / R@1 / R@8 / dR@1 |", lr));
            }
            sb.append("\n|---|").append("---|".repeat(lrs.size())).append('\n');
            for (String reg : distinct(rows, StudyRow::regularizer)) {
                sb.append("| ").append(reg).append(" |");
                for (double lr : lrs) {
                    StudyRow r = find(rows, loss, reg, lr);
                    StudyRow none = find(rows, loss, "none", lr);
                    if (r == null) {
                        sb.append(" |");
                        continue;
                    }
                    String delta = none == null ? "" : String.format(Locale.ROOT, "%+.3f", r.recallAt()[0] - none.recallAt()[0]);
                    sb.append(String.format(Locale.ROOT, " %.3f / %.3f / %.3f / %s%s |", r.nmi(), r.recallAt()[0], r.recallAt()[3], delta,
                            r.diverged() ? " (d)" : ""));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** R@1 against the learning rate (log axis), one line per regularizer, one panel per loss, side by side. */
    static byte[] panels(List<StudyRow> rows) throws IOException {
        List<String> losses = distinct(rows, StudyRow::loss);
        int w = 560;
        int h = 420;
        int cols = Math.min(3, Math.max(1, losses.size()));
        int panelRows = (losses.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(w * cols, h * Math.max(1, panelRows), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < losses.size(); i++) {
            String loss = losses.get(i);
            XYChart chart = new XYChartBuilder().width(w).height(h).title(loss).xAxisTitle("learning rate").yAxisTitle("R@1").build();
            chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(1.0)
                    .setLegendPosition(Styler.LegendPosition.InsideSW);
            for (String reg : distinct(rows, StudyRow::regularizer)) {
                List<StudyRow> line = rows.stream().filter(r -> r.loss().equals(loss) && r.regularizer().equals(reg))
                        .sorted(java.util.Comparator.comparingDouble(StudyRow::learningRate)).toList();
                if (!line.isEmpty()) {
                    chart.addSeries(reg, line.stream().mapToDouble(StudyRow::learningRate).toArray(),
                            line.stream().mapToDouble(r -> r.recallAt()[0]).toArray());
                }
            }
            g.drawImage(BitmapEncoder.getBufferedImage(chart), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    private static StudyRow find(List<StudyRow> rows, String loss, String reg, double lr) {
        return rows.stream().filter(r -> r.loss().equals(loss) && r.regularizer().equals(reg) && r.learningRate() == lr).findFirst().orElse(null);
    }

    private static List<String> distinct(List<StudyRow> rows, java.util.function.Function<StudyRow, String> key) {
        return rows.stream().map(key).distinct().toList();
    }
}
