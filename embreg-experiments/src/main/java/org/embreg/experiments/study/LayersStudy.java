package org.embreg.experiments.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.model.LayerRegularization;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.report.SeedSpread;
import org.embreg.experiments.retrieval.BatchLayout;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.spectrum.CollapseMeasures;
import org.knowm.xchart.XYChart;

/**
 * What happens when an embedding regularizer acts on every layer, as weight decay does: the
 * contrastive loss on the open-set split, per backbone, at a safe learning rate and at one where the
 * plain loss collapses, several seeds each, with these arms: no regularizer; weight decay at three
 * strengths; SVMax on the embedding; SVMax on every layer; VICReg's variance term on the embedding;
 * on every layer; weight decay plus SVMax on every layer. Every arm's layers are watched, so each
 * reports the effective rank of every layer at the end of training.
 *
 * <p>Writes results.csv (one line per run), layers.csv (one line per run and layer: its collapse
 * measures at the last monitored step), table.md (per backbone and rate: R@1, MAP@R and NMI as mean
 * ± standard deviation over seeds, the time per step against the unregularized arm, each layer's
 * effective rank), recall-by-arm.png and effective-rank.png.
 *
 * @param preset the small CNN's iterations, the two learning rates and the test images
 * @param deepIterations iterations of the deeper backbone (ResNet-20 costs several times the small CNN's step)
 * @param backbones the backbones
 * @param dim embedding size
 * @param width small CNN width
 * @param seeds the seeds of every arm
 */
public record LayersStudy(StudyPreset preset, int deepIterations, List<Backbone> backbones, int dim, int width, List<Long> seeds) implements Study {
    /** K = 300 (small CNN) and 100 (ResNet-20), lr 0.1 and 8, 3 seeds, 2,000 test images. */
    public static final StudyPreset QUICK = new StudyPreset(300, new double[] {0.1, 8}, 2000);
    /** The ResNet's iterations in the quick preset. */
    public static final int QUICK_DEEP_ITERATIONS = 100;
    /** The paper's K = 5000 for both backbones, on the whole test split. */
    public static final StudyPreset PAPER = new StudyPreset(5000, new double[] {0.1, 8}, 0);

    /** One arm of the study. */
    public enum Arm {
        NONE("none", RegularizerKind.NONE, RegularizerKind.NONE, 0),
        WEIGHT_DECAY_LOW("wd-1e-4", RegularizerKind.NONE, RegularizerKind.NONE, 1e-4),
        WEIGHT_DECAY_MID("wd-5e-4", RegularizerKind.NONE, RegularizerKind.NONE, 5e-4),
        WEIGHT_DECAY_HIGH("wd-2e-3", RegularizerKind.NONE, RegularizerKind.NONE, 2e-3),
        SVMAX("svmax", RegularizerKind.SVMAX, RegularizerKind.NONE, 0),
        SVMAX_LAYERS("svmax-all-layers", RegularizerKind.NONE, RegularizerKind.SVMAX, 0),
        VARIANCE("variance", RegularizerKind.VICREG_VARIANCE, RegularizerKind.NONE, 0),
        VARIANCE_LAYERS("variance-all-layers", RegularizerKind.NONE, RegularizerKind.VICREG_VARIANCE, 0),
        WEIGHT_DECAY_SVMAX_LAYERS("wd-5e-4+svmax-all-layers", RegularizerKind.NONE, RegularizerKind.SVMAX, 5e-4);

        private final String label;
        private final RegularizerKind embedding;
        private final RegularizerKind layers;
        private final double weightDecay;

        Arm(String label, RegularizerKind embedding, RegularizerKind layers, double weightDecay) {
            this.label = label;
            this.embedding = embedding;
            this.layers = layers;
            this.weightDecay = weightDecay;
        }

        /** The arm's name in ids and tables. */
        public String label() {
            return label;
        }

        /**
         * The arm's configuration: the regularizer at its default weight for the loss on the
         * embedding, weight 1 for each layer's term, every layer watched.
         */
        TrainingConfig config(RankingLossKind loss, Backbone backbone, int iterations, double lr, int dim, int width, long seed) {
            BatchLayout layout = loss.paperLayout();
            LayerRegularization l = layers == RegularizerKind.NONE ? LayerRegularization.WATCHED : LayerRegularization.regularized(layers, 1);
            return new TrainingConfig(loss, backbone, null, iterations, lr, layout.classesPerBatch(), layout.samplesPerClass(), dim,
                    backbone == Backbone.SMALL_CNN ? width : 0, embedding, embedding.defaultWeight(loss), seed, 10, TrainingConfig.Monitor.DEFAULT, l,
                    weightDecay);
        }

        /** The arm a configuration was made by, or null. */
        static Arm of(TrainingConfig c) {
            for (Arm a : values()) {
                if (a.embedding == c.regularizer() && a.layers == c.layers().regularizer() && a.weightDecay == c.weightDecay()) {
                    return a;
                }
            }
            return null;
        }
    }

    static final RankingLossKind LOSS = RankingLossKind.CONTRASTIVE;

    public LayersStudy {
        backbones = List.copyOf(backbones);
        seeds = List.copyOf(seeds);
        if (backbones.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("the layers study needs at least one backbone and one seed");
        }
        if (deepIterations < 1) {
            throw new IllegalArgumentException("deep iterations must be >= 1, got " + deepIterations);
        }
    }

    @Override
    public List<StudyRunner.StudyRun> runs() {
        List<StudyRunner.StudyRun> out = new ArrayList<>();
        for (Backbone backbone : backbones) {
            int iterations = backbone == Backbone.SMALL_CNN ? preset.iterations() : deepIterations;
            for (double lr : preset.learningRates()) {
                for (Arm arm : Arm.values()) {
                    for (long seed : seeds) {
                        String id = backbone.cliName() + "-" + arm.label() + "-lr" + lr + "-seed" + seed;
                        out.add(new StudyRunner.StudyRun(id, arm.config(LOSS, backbone, iterations, lr, dim, width, seed)));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException {
        StudyReports.writeCsv(dir, rows);
        dir.writeCsv("layers.csv", layersCsv(rows));
        AtomicFiles.writeString(dir.root().resolve("table.md"), table(rows));
        AtomicFiles.write(dir.root().resolve("recall-by-arm.png"), recallChart(rows));
        AtomicFiles.write(dir.root().resolve("effective-rank.png"), rankChart(rows));
    }

    /** The arms of one backbone and rate, each with its rows over seeds, in the study's order. */
    static Map<Arm, List<StudyRow>> byArm(List<StudyRow> rows, Backbone backbone, double lr) {
        Map<Arm, List<StudyRow>> out = new LinkedHashMap<>();
        for (Arm arm : Arm.values()) {
            List<StudyRow> in = rows.stream()
                    .filter(r -> r.training().backbone() == backbone && r.learningRate() == lr && Arm.of(r.training()) == arm).toList();
            if (!in.isEmpty()) {
                out.put(arm, in);
            }
        }
        return out;
    }

    /** The spread over seeds of a metric of the runs that did not diverge, or null when all did. */
    static SeedSpread spread(List<StudyRow> runs, ToDoubleFunction<StudyRow> metric) {
        List<Double> values = runs.stream().filter(r -> r.metrics() != null).map(metric::applyAsDouble).toList();
        return values.isEmpty() ? null : SeedSpread.of(values);
    }

    /** Milliseconds per training step of a run. */
    static double millisPerStep(StudyRow r) {
        return r.arm().iterations() == 0 ? Double.NaN : 1e3 * r.arm().trainSeconds() / r.arm().iterations();
    }

    static List<List<Object>> layersCsv(List<StudyRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        out.add(List.of("id", "backbone", "arm", "learningRate", "seed", "layer", "point", "rows", "columns", "effectiveRank", "meanSingularValue",
                "bandPosition", "collapsedDimensions"));
        for (StudyRow r : rows) {
            Arm arm = Arm.of(r.training());
            int i = 0;
            for (Map.Entry<String, CollapseMeasures> e : r.arm().layers().entrySet()) {
                CollapseMeasures m = e.getValue();
                out.add(List.of(r.id(), r.training().backbone().cliName(), arm == null ? "" : arm.label(), r.learningRate(), r.training().seed(), ++i,
                        e.getKey(), m.rows(), m.dim(), m.effectiveRank(), m.meanSingularValue(), m.bandPosition(), m.collapsedDimensions()));
            }
        }
        return out;
    }

    String table(List<StudyRow> rows) {
        StringBuilder sb = new StringBuilder("# Regularizing every layer\n\nContrastive loss, Fashion-MNIST open-set split; mean ± standard deviation "
                + "over seeds (runs that diverged are counted, not averaged). Time per step is the mean over seeds, and its ratio to the "
                + "unregularized arm's. Effective rank of each captured layer (in network order, the last being the embedding) at the last "
                + "monitored step, mean over seeds.\n");
        for (Backbone backbone : backbones) {
            for (double lr : preset.learningRates()) {
                Map<Arm, List<StudyRow>> arms = byArm(rows, backbone, lr);
                if (arms.isEmpty()) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%n## %s, lr %s%n%n| arm | R@1 | MAP@R | NMI | diverged | ms per step (x none) | effective rank per layer |%n"
                        + "|---|---|---|---|---|---|---|%n", backbone.cliName(), lr));
                List<StudyRow> none = arms.get(Arm.NONE);
                double noneStep = none == null ? Double.NaN : none.stream().mapToDouble(LayersStudy::millisPerStep).average().orElse(Double.NaN);
                arms.forEach((arm, runs) -> {
                    long diverged = runs.stream().filter(StudyRow::diverged).count();
                    double step = runs.stream().mapToDouble(LayersStudy::millisPerStep).average().orElse(Double.NaN);
                    sb.append(String.format(Locale.ROOT, "| %d. %s | %s | %s | %s | %d of %d | %.1f (%.2f) | %s |%n", arm.ordinal() + 1, arm.label(),
                            format(spread(runs, StudyRow::recallAt1)), format(spread(runs, r -> r.metrics().mapAtR())),
                            format(spread(runs, r -> r.metrics().nmi())), diverged, runs.size(), step, step / noneStep, ranks(runs)));
                });
            }
        }
        return sb.toString();
    }

    private static String format(SeedSpread s) {
        return s == null ? "-" : s.format(3);
    }

    /** Each layer's effective rank, mean over the runs that report it, "a / b / c". */
    static String ranks(List<StudyRow> runs) {
        List<Double> mean = meanRanks(runs);
        List<String> parts = new ArrayList<>();
        for (double v : mean) {
            parts.add(String.format(Locale.ROOT, "%.1f", v));
        }
        return String.join(" / ", parts);
    }

    static List<Double> meanRanks(List<StudyRow> runs) {
        List<Double> sums = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (StudyRow r : runs) {
            int i = 0;
            for (CollapseMeasures m : r.arm().layers().values()) {
                if (sums.size() <= i) {
                    sums.add(0.0);
                    counts.add(0);
                }
                sums.set(i, sums.get(i) + m.effectiveRank());
                counts.set(i, counts.get(i) + 1);
                i++;
            }
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < sums.size(); i++) {
            out.add(sums.get(i) / counts.get(i));
        }
        return out;
    }

    /** R@1 (mean over seeds) per arm: one panel per backbone, one line per learning rate, arms along x by number. */
    byte[] recallChart(List<StudyRow> rows) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (Backbone backbone : backbones) {
            XYChart chart = StudyReports.panel(backbone.cliName() + ": R@1 by arm (numbered as in table.md)", "arm", "R@1 (mean over seeds)");
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            for (double lr : preset.learningRates()) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                List<Double> err = new ArrayList<>();
                byArm(rows, backbone, lr).forEach((arm, runs) -> {
                    SeedSpread s = spread(runs, StudyRow::recallAt1);
                    if (s != null) {
                        x.add(arm.ordinal() + 1.0);
                        y.add(s.mean());
                        err.add(s.std());
                    }
                });
                if (!x.isEmpty()) {
                    chart.addSeries("lr " + lr, x, y, err);
                }
            }
            charts.add(chart);
        }
        return StudyReports.grid(charts, 2);
    }

    /** Effective rank per layer, one line per arm: one panel per backbone and learning rate. */
    byte[] rankChart(List<StudyRow> rows) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (Backbone backbone : backbones) {
            for (double lr : preset.learningRates()) {
                XYChart chart = StudyReports.panel(backbone.cliName() + ", lr " + lr, "layer", "effective rank (mean over seeds)");
                // nine lines: the legend beside the plot, not over the first layers
                chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
                byArm(rows, backbone, lr).forEach((arm, runs) -> {
                    List<Double> ranks = meanRanks(runs);
                    if (!ranks.isEmpty()) {
                        double[] x = new double[ranks.size()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = i + 1;
                        }
                        chart.addSeries(arm.label(), x, ranks.stream().mapToDouble(Double::doubleValue).toArray());
                    }
                });
                charts.add(chart);
            }
        }
        return StudyReports.grid(charts, 2);
    }
}
