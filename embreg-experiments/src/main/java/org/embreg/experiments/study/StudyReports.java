package org.embreg.experiments.study;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.embreg.experiments.report.RunDirectory;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * What the studies' reports share: results.csv, tables in the shape of the paper's Table 1 (one
 * block per group of runs, one line per regularizer, one column per learning rate), charts of one
 * panel per group, and the grid image those panels make.
 */
public final class StudyReports {
    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 420;

    private StudyReports() {}

    /** results.csv: one line per run. */
    public static void writeCsv(RunDirectory dir, List<StudyRow> rows) throws IOException {
        List<List<Object>> csv = new ArrayList<>();
        csv.add(StudyRow.csvHeader());
        for (StudyRow r : rows) {
            csv.add(r.csv());
        }
        dir.writeCsv("results.csv", csv);
    }

    /**
     * Table 1's shape: one block per value of {@code block}, one line per regularizer, NMI / R@1 /
     * R@8 / dR@1 per learning rate, dR@1 being the R@1 difference to the unregularized run of the
     * same block and rate.
     */
    public static String recallTable(String title, List<StudyRow> rows, Function<StudyRow, String> block) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\nNMI / R@1 / R@8 per learning rate; dR@1 is the R@1 difference to "
                + "the unregularized loss at the same rate. (d) marks a run that diverged.\n");
        for (String b : distinct(rows, block)) {
            List<StudyRow> in = rows.stream().filter(r -> block.apply(r).equals(b)).toList();
            List<Double> lrs = in.stream().map(StudyRow::learningRate).distinct().sorted().toList();
            sb.append("\n## ").append(b).append("\n\n| regularizer |");
            for (double lr : lrs) {
                sb.append(String.format(Locale.ROOT, " lr %s: NMI / R@1 / R@8 / dR@1 |", lr));
            }
            sb.append("\n|---|").append("---|".repeat(lrs.size())).append('\n');
            for (String reg : distinct(in, StudyRow::regularizer)) {
                sb.append("| ").append(reg).append(" |");
                for (double lr : lrs) {
                    StudyRow r = find(in, reg, lr);
                    StudyRow none = find(in, "none", lr);
                    if (r == null) {
                        sb.append(" |");
                        continue;
                    }
                    if (r.metrics() == null) {
                        sb.append(" diverged at iteration ").append(r.divergence().iteration()).append(" |");
                        continue;
                    }
                    String delta = none == null || none.metrics() == null ? "" : String.format(Locale.ROOT, "%+.3f", r.recallAt1() - none.recallAt1());
                    sb.append(String.format(Locale.ROOT, " %.3f / %.3f / %.3f / %s |", r.metrics().nmi(), r.recallAt1(), r.metrics().recallAt().get(8),
                            delta));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** R@1 against the learning rate (log axis), one line per regularizer, one panel per block. */
    public static byte[] recallPanels(List<StudyRow> rows, Function<StudyRow, String> block) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (String b : distinct(rows, block)) {
            List<StudyRow> in = rows.stream().filter(r -> block.apply(r).equals(b)).toList();
            XYChart chart = panel(b, "learning rate", "R@1");
            chart.getStyler().setXAxisLogarithmic(true).setYAxisMin(0.0).setYAxisMax(1.0);
            addLines(chart, in, StudyRow::regularizer, StudyRow::learningRate, StudyRow::recallAt1);
            charts.add(chart);
        }
        return grid(charts, 3);
    }

    /** An empty panel of the standard size with the legend inside, bottom left. */
    static XYChart panel(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        return chart;
    }

    /** One line per value of {@code line}, its points sorted by x; runs that diverged have no point. */
    static void addLines(XYChart chart, List<StudyRow> rows, Function<StudyRow, String> line, ToDoubleFunction<StudyRow> x,
            ToDoubleFunction<StudyRow> y) {
        for (String name : distinct(rows, line)) {
            List<StudyRow> points = rows.stream().filter(r -> line.apply(r).equals(name) && r.metrics() != null)
                    .sorted(Comparator.comparingDouble(x)).toList();
            if (points.isEmpty()) {
                continue;
            }
            chart.addSeries(name, points.stream().mapToDouble(x).toArray(), points.stream().mapToDouble(y).toArray());
        }
    }

    /**
     * Panels in a near-square grid of at most {@code maxColumns} columns, as one PNG. A panel with
     * nothing to draw (every run in it diverged) is left out; with none left, the image says so.
     */
    static byte[] grid(List<XYChart> all, int maxColumns) throws IOException {
        List<XYChart> charts = all.stream().filter(c -> !c.getSeriesMap().isEmpty()).toList();
        if (charts.isEmpty()) {
            BufferedImage img = new BufferedImage(PANEL_WIDTH, PANEL_HEIGHT / 4, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(java.awt.Color.BLACK);
            g.drawString("no finished run to plot: every run so far diverged", 20, img.getHeight() / 2);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(img, "png", bytes);
            return bytes.toByteArray();
        }
        int cols = Math.max(1, Math.min(maxColumns, (int) Math.ceil(Math.sqrt(charts.size()))));
        int rowsOfPanels = Math.max(1, (charts.size() + cols - 1) / cols);
        BufferedImage img = new BufferedImage(PANEL_WIDTH * cols, PANEL_HEIGHT * rowsOfPanels, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * PANEL_WIDTH, (i / cols) * PANEL_HEIGHT, null);
        }
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        return bytes.toByteArray();
    }

    private static StudyRow find(List<StudyRow> rows, String reg, double lr) {
        return rows.stream().filter(r -> r.regularizer().equals(reg) && r.learningRate() == lr).findFirst().orElse(null);
    }

    /** The distinct values of a key, in first-seen order. */
    static List<String> distinct(List<StudyRow> rows, Function<StudyRow, String> key) {
        return rows.stream().map(key).distinct().toList();
    }
}
