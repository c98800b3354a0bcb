package org.embreg.experiments.study;

import java.io.IOException;
import java.nio.file.Path;
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
import org.embreg.experiments.ssl.SslConfig;
import org.embreg.experiments.ssl.SslEncoder;
import org.embreg.experiments.ssl.SslExperiment;
import org.embreg.experiments.ssl.SslObjective;
import org.embreg.experiments.ssl.SslPreset;
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
 * <p>The same arms on the self-supervised pipeline ({@code ssl}), when {@code ssl} is given: a
 * pretraining alone per arm and seed, judged by k-NN and linear top-1 of the representation. There
 * the plain objective is VICReg's invariance term alone (lambda = 25, no variance or covariance
 * term), which collapses at any learning rate, as the contrastive loss does at a large one; "on the
 * embedding" means on the expander's output (SVMax bounded on each view, or VICReg's variance term,
 * at VICReg's variance weight mu); "every layer" means that term on the expander's output and on
 * every layer of the encoder, each at weight mu; weight decay is LARS's. Those runs write
 * ssl-results.csv, ssl-layers.csv, a section of table.md and ssl-top1-by-arm.png, and a panel of
 * effective-rank.png.
 *
 * @param preset the small CNN's iterations, the two learning rates and the test images
 * @param deepIterations iterations of the deeper backbone (ResNet-20 costs several times the small CNN's step)
 * @param backbones the backbones
 * @param dim embedding size
 * @param width small CNN width
 * @param seeds the seeds of every arm
 * @param ssl the self-supervised runs' settings (its seed, weight decay, loss weights past lambda and mu, layers, data and directory
 *     are the arms' and the study's), or null for none
 */
public record LayersStudy(StudyPreset preset, int deepIterations, List<Backbone> backbones, int dim, int width, List<Long> seeds, SslConfig ssl)
        implements Study {
    /** K = 300 (small CNN) and 100 (ResNet-20), lr 0.1 and 8, 3 seeds, 2,000 test images. */
    public static final StudyPreset QUICK = new StudyPreset(300, new double[] {0.1, 8}, 2000);
    /** The ResNet's iterations in the quick preset. */
    public static final int QUICK_DEEP_ITERATIONS = 100;
    /** The paper's K = 5000 for both backbones, on the whole test split. */
    public static final StudyPreset PAPER = new StudyPreset(5000, new double[] {0.1, 8}, 0);
    /**
     * The self-supervised arms of the quick preset: 200 steps of batches of 64 (base rate 1.6 per 256
     * images, 10% warm-up), the ssl quick preset's encoder and expander, a sample of 5,000 training and
     * 2,000 test images: about half a minute per run here.
     */
    public static final SslConfig QUICK_SSL = new SslConfig(200, 64, SslPreset.BASE_LEARNING_RATE, 0, 20, 16, SslEncoder.SMALL_RESNET,
            List.of(512, 512, 512), 25, 25, 0, 1, 5000, 2000, 10, null, Path.of("."));
    /** The self-supervised arms of the paper preset: the ssl quick preset's run (1,500 steps of 128 images). */
    public static final SslConfig PAPER_SSL = SslPreset.QUICK.config(1, null, Path.of("."));

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

        /**
         * The arm's self-supervised configuration: VICReg's invariance term, the arm's regularizer on the
         * expander's output at weight mu (and at mu on every encoder layer for the layer arms), every
         * encoder layer watched, LARS's weight decay the arm's.
         */
        SslConfig sslConfig(SslConfig base, long seed) {
            LayerRegularization l = layers == RegularizerKind.NONE ? LayerRegularization.WATCHED
                    : LayerRegularization.regularized(layers, base.varianceWeight());
            return new SslConfig(base.steps(), base.batchSize(), base.baseLearningRate(), weightDecay, base.warmupSteps(), base.width(), base.encoder(),
                    base.expander(), base.invarianceWeight(), base.varianceWeight(), 0, seed, base.maxTrain(), base.maxTest(), base.logEvery(),
                    base.data(), base.out(), l);
        }

        /**
         * The objective on the expander's output, with the covariance weight 0: invariance alone (no regularizer),
         * with the variance term, or with SVMax bounded in its place.
         */
        SslObjective sslObjective() {
            return switch (sslExpanderTerm()) {
                case NONE -> SslObjective.NO_VARIANCE;
                case SVMAX -> SslObjective.SVMAX_BOUNDED;
                case VICREG_VARIANCE -> SslObjective.VICREG;
                case SPREAD_OUT -> throw new IllegalStateException("no self-supervised objective with spread-out: " + this);
            };
        }

        /** The regularizer on the expander's output in the self-supervised arm (NONE: invariance alone). */
        RegularizerKind sslExpanderTerm() {
            return layers == RegularizerKind.NONE ? embedding : layers;
        }

        /** The arm a self-supervised run was made by, or null. */
        static Arm of(SslStudyRun run) {
            for (Arm a : values()) {
                if (a.sslObjective() == run.objective() && a.layers == run.config().layers().regularizer() && a.weightDecay == run.config().weightDecay()) {
                    return a;
                }
            }
            return null;
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
        // each backbone at most once: a repeated one would make the same runs twice and count their rows twice
        for (int i = 0; i < backbones.size(); i++) {
            if (backbones.subList(0, i).contains(backbones.get(i))) {
                throw new IllegalArgumentException("--backbones lists " + backbones.get(i).cliName() + " twice (each backbone's runs are made once)");
            }
        }
        if (deepIterations < 1) {
            throw new IllegalArgumentException("deep iterations must be >= 1, got " + deepIterations);
        }
    }

    /** The study without self-supervised arms. */
    public LayersStudy(StudyPreset preset, int deepIterations, List<Backbone> backbones, int dim, int width, List<Long> seeds) {
        this(preset, deepIterations, backbones, dim, width, seeds, null);
    }

    /** Every arm over the seeds, the unregularized arm's runs also scoring the initialization they start from. */
    @Override
    public List<SslStudyRun> sslRuns() {
        List<SslStudyRun> out = new ArrayList<>();
        if (ssl == null) {
            return out;
        }
        for (Arm arm : Arm.values()) {
            for (long seed : seeds) {
                out.add(new SslStudyRun("ssl-" + arm.label() + "-seed" + seed, arm.sslConfig(ssl, seed), arm.sslObjective(), arm == Arm.NONE));
            }
        }
        return out;
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
        writeReports(dir, rows, List.of());
    }

    @Override
    public void writeReports(RunDirectory dir, List<StudyRow> rows, List<SslStudyRow> sslRows) throws IOException {
        StudyReports.writeCsv(dir, rows);
        dir.writeCsv("layers.csv", layersCsv(rows));
        AtomicFiles.writeString(dir.root().resolve("table.md"), table(rows) + sslTable(sslRows));
        AtomicFiles.write(dir.root().resolve("recall-by-arm.png"), recallChart(rows));
        AtomicFiles.write(dir.root().resolve("effective-rank.png"), rankChart(rows, sslRows));
        // only with rows: while a resumed study reads its retrieval runs back, the self-supervised reports of an earlier part stay;
        // a study without the self-supervised arms (--no-ssl) removes those of an earlier run, which its table.md no longer shows
        if (!sslRows.isEmpty()) {
            dir.writeCsv("ssl-results.csv", sslCsv(sslRows));
            dir.writeCsv("ssl-layers.csv", sslLayersCsv(sslRows));
            AtomicFiles.write(dir.root().resolve("ssl-top1-by-arm.png"), sslChart(sslRows));
        } else if (ssl == null) {
            for (String stale : List.of("ssl-results.csv", "ssl-layers.csv", "ssl-top1-by-arm.png")) {
                java.nio.file.Files.deleteIfExists(dir.root().resolve(stale));
            }
        }
    }

    /** The arms of one backbone and rate, each with its rows over seeds, in the study's order. */
    static Map<Arm, List<StudyRow>> byArm(List<StudyRow> rows, Backbone backbone, double lr) {
        return group(rows.stream().filter(r -> r.training().backbone() == backbone && r.learningRate() == lr).toList(), r -> Arm.of(r.training()));
    }

    /** Rows grouped by the arm that made them, in the study's order of arms (rows of no arm left out). */
    static <T> Map<Arm, List<T>> group(List<T> rows, java.util.function.Function<T, Arm> armOf) {
        Map<Arm, List<T>> out = new LinkedHashMap<>();
        for (Arm arm : Arm.values()) {
            List<T> in = rows.stream().filter(r -> armOf.apply(r) == arm).toList();
            if (!in.isEmpty()) {
                out.put(arm, in);
            }
        }
        return out;
    }

    /** The spread over seeds of a metric of the runs that did not diverge, or null when all did. */
    static SeedSpread spread(List<StudyRow> runs, ToDoubleFunction<StudyRow> metric) {
        return spreadOf(runs.stream().filter(r -> r.metrics() != null).map(metric::applyAsDouble).toList());
    }

    /** The spread of the finite values, or null when there are none. */
    static SeedSpread spreadOf(List<Double> values) {
        List<Double> finite = values.stream().filter(v -> v != null && Double.isFinite(v)).toList();
        return finite.isEmpty() ? null : SeedSpread.of(finite);
    }

    /** Milliseconds per training step of a run. */
    static double millisPerStep(StudyRow r) {
        return r.arm().iterations() == 0 ? Double.NaN : 1e3 * r.arm().trainSeconds() / r.arm().iterations();
    }

    static List<List<Object>> layersCsv(List<StudyRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        out.add(layersHeader("backbone"));
        for (StudyRow r : rows) {
            addLayerLines(out, r.id(), r.training().backbone().cliName(), Arm.of(r.training()), r.learningRate(), r.training().seed(), r.arm().layers());
        }
        return out;
    }

    static List<List<Object>> sslLayersCsv(List<SslStudyRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        out.add(layersHeader("encoder"));
        for (SslStudyRow r : rows) {
            SslConfig c = r.run().config();
            addLayerLines(out, r.id(), c.encoder().cliName(), Arm.of(r.run()), c.learningRate(), c.seed(), r.result().layers());
        }
        return out;
    }

    private static List<Object> layersHeader(String network) {
        return List.of("id", network, "arm", "learningRate", "seed", "layer", "point", "rows", "columns", "effectiveRank", "meanSingularValue",
                "bandPosition", "collapsedDimensions");
    }

    /** One line per layer of a run: its collapse measures at the last monitored step. */
    private static void addLayerLines(List<List<Object>> out, String id, String network, Arm arm, double lr, long seed,
            Map<String, CollapseMeasures> layers) {
        int i = 0;
        for (Map.Entry<String, CollapseMeasures> e : layers.entrySet()) {
            CollapseMeasures m = e.getValue();
            out.add(List.of(id, network, arm == null ? "" : arm.label(), lr, seed, ++i, e.getKey(), m.rows(), m.dim(), m.effectiveRank(),
                    m.meanSingularValue(), m.bandPosition(), m.collapsedDimensions()));
        }
    }

    static List<List<Object>> sslCsv(List<SslStudyRow> rows) {
        List<List<Object>> out = new ArrayList<>();
        out.add(List.of("id", "arm", "encoder", "seed", "steps", "batch", "learningRate", "weightDecay", "expanderTerm", "layerRegularizer", "layerWeight",
                "knnTop1", "linearTop1", "randomInitKnnTop1", "randomInitLinearTop1", "diverged", "msPerStep", "representationEffectiveRank",
                "embeddingEffectiveRank", "embeddingCollapsedDimensions"));
        for (SslStudyRow r : rows) {
            SslConfig c = r.run().config();
            SslExperiment.Pretrained p = r.result();
            Arm arm = Arm.of(r.run());
            out.add(List.of(r.id(), arm == null ? "" : arm.label(), c.encoder().cliName(), c.seed(), p.steps(), c.batchSize(), c.learningRate(),
                    c.weightDecay(), arm == null ? "" : arm.sslExpanderTerm().armName(), c.layers().regularizer().armName(), c.layers().weight(),
                    p.knnTop1(), p.linearTop1(),
                    orEmpty(r.record().randomInitKnnTop1()), orEmpty(r.record().randomInitLinearTop1()), r.diverged(), r.millisPerStep(),
                    p.representation() == null ? "" : p.representation().effectiveRank(), p.embedding() == null ? "" : p.embedding().effectiveRank(),
                    p.embedding() == null ? "" : p.embedding().collapsedDimensions()));
        }
        return out;
    }

    private static Object orEmpty(Double v) {
        return v == null ? "" : v;
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
                    sb.append(String.format(Locale.ROOT, "| %d. %s | %s | %s | %s | %d of %d | %s | %s |%n", arm.ordinal() + 1, arm.label(),
                            format(spread(runs, StudyRow::recallAt1)), format(spread(runs, r -> r.metrics().mapAtR())),
                            format(spread(runs, r -> r.metrics().nmi())), diverged, runs.size(), stepCell(step, noneStep), ranks(layerMaps(runs))));
                });
            }
        }
        return sb.toString();
    }

    /** "ms (x none)", the ratio "-" where the unregularized arm has no time yet. */
    private static String stepCell(double step, double noneStep) {
        return Double.isFinite(noneStep) ? String.format(Locale.ROOT, "%.1f (%.2f)", step, step / noneStep) : String.format(Locale.ROOT, "%.1f (-)", step);
    }

    private static String format(SeedSpread s) {
        return s == null ? "-" : s.format(3);
    }

    /**
     * The self-supervised section of table.md: per arm, k-NN and linear top-1 over seeds, the time per
     * step, the effective rank of the expander's output and of every encoder layer; "" without such runs.
     */
    String sslTable(List<SslStudyRow> rows) {
        Map<Arm, List<SslStudyRow>> arms = group(rows, r -> Arm.of(r.run()));
        if (arms.isEmpty()) {
            return "";
        }
        SslConfig c = rows.get(0).run().config();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n## Self-supervised: VICReg's pipeline, %s encoder, %d steps of %d "
                + "images, lr %s%n%nThe plain objective is VICReg's invariance term alone (lambda %s); \"on the embedding\" adds SVMax bounded "
                + "(each view) or VICReg's variance term on the expander's output at weight %s, \"all layers\" adds it on every encoder layer too "
                + "(each at %s); weight decay is LARS's. k-NN (k = %d) and linear top-1 of the representation on %d test images, mean ± standard "
                + "deviation over seeds (a run that diverged is scored at its last finite parameters and counted; scores that are not finite are "
                + "left out). Effective rank: the expander's "
                + "output on the test images, and each encoder layer at the last monitored step.%n%n"
                + "| arm | k-NN top-1 | linear top-1 | diverged | ms per step (x none) | embedding effective rank | effective rank per layer |%n"
                + "|---|---|---|---|---|---|---|%n", c.encoder().cliName(), c.steps(), c.batchSize(), c.learningRate(), c.invarianceWeight(),
                c.varianceWeight(), c.varianceWeight(), org.embreg.metric.WeightedKnn.DEFAULT_K, rows.get(0).record().data().testImages()));
        List<SslStudyRow> none = arms.get(Arm.NONE);
        double noneStep = none == null ? Double.NaN : none.stream().mapToDouble(SslStudyRow::millisPerStep).average().orElse(Double.NaN);
        arms.forEach((arm, runs) -> {
            double step = runs.stream().mapToDouble(SslStudyRow::millisPerStep).average().orElse(Double.NaN);
            SeedSpread embeddingRank = spreadOf(runs.stream().map(r -> r.result().embedding() == null ? null : r.result().embedding().effectiveRank()).toList());
            sb.append(String.format(Locale.ROOT, "| %d. %s | %s | %s | %d of %d | %s | %s | %s |%n", arm.ordinal() + 1, arm.label(),
                    format(spreadOf(runs.stream().map(r -> r.result().knnTop1()).toList())),
                    format(spreadOf(runs.stream().map(r -> r.result().linearTop1()).toList())), runs.stream().filter(SslStudyRow::diverged).count(),
                    runs.size(), stepCell(step, noneStep), embeddingRank == null ? "-" : String.format(Locale.ROOT, "%.1f", embeddingRank.mean()),
                    ranks(runs.stream().map(r -> r.result().layers()).toList())));
        });
        SeedSpread initKnn = spreadOf(rows.stream().map(r -> r.record().randomInitKnnTop1()).toList());
        SeedSpread initLinear = spreadOf(rows.stream().map(r -> r.record().randomInitLinearTop1()).toList());
        if (initKnn != null) {
            sb.append(String.format(Locale.ROOT, "%nThe encoder at the initialization these runs start from (per seed): k-NN %s, linear %s.%n",
                    format(initKnn), format(initLinear)));
        }
        return sb.toString();
    }

    /** The captured layers' measures of each run. */
    private static List<Map<String, CollapseMeasures>> layerMaps(List<StudyRow> runs) {
        return runs.stream().map(r -> r.arm().layers()).toList();
    }

    /** Each layer's effective rank, mean over the runs that report it, "a / b / c". */
    static String ranks(List<Map<String, CollapseMeasures>> runs) {
        List<Double> mean = meanRanks(runs);
        List<String> parts = new ArrayList<>();
        for (double v : mean) {
            parts.add(String.format(Locale.ROOT, "%.1f", v));
        }
        return String.join(" / ", parts);
    }

    static List<Double> meanRanks(List<Map<String, CollapseMeasures>> runs) {
        List<Double> sums = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Map<String, CollapseMeasures> layers : runs) {
            int i = 0;
            for (CollapseMeasures m : layers.values()) {
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
                addArmSeries(chart, "lr " + lr, byArm(rows, backbone, lr), runs -> spread(runs, StudyRow::recallAt1));
            }
            charts.add(chart);
        }
        return StudyReports.grid(charts, 2);
    }

    /** Effective rank per layer, one line per arm: one panel per backbone and learning rate, and one of the self-supervised runs. */
    byte[] rankChart(List<StudyRow> rows, List<SslStudyRow> sslRows) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        for (Backbone backbone : backbones) {
            for (double lr : preset.learningRates()) {
                Map<Arm, List<Map<String, CollapseMeasures>>> arms = new LinkedHashMap<>();
                byArm(rows, backbone, lr).forEach((arm, runs) -> arms.put(arm, layerMaps(runs)));
                charts.add(rankPanel(backbone.cliName() + ", lr " + lr, arms));
            }
        }
        if (!sslRows.isEmpty()) {
            Map<Arm, List<Map<String, CollapseMeasures>>> arms = new LinkedHashMap<>();
            group(sslRows, r -> Arm.of(r.run())).forEach((arm, runs) -> arms.put(arm, runs.stream().map(r -> r.result().layers()).toList()));
            charts.add(rankPanel("ssl, " + sslRows.get(0).run().config().encoder().cliName() + " encoder", arms));
        }
        return StudyReports.grid(charts, 2);
    }

    private static XYChart rankPanel(String title, Map<Arm, List<Map<String, CollapseMeasures>>> arms) {
        XYChart chart = StudyReports.panel(title, "layer", "effective rank (mean over seeds)");
        // nine lines: the legend beside the plot, not over the first layers
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        arms.forEach((arm, runs) -> {
            List<Double> ranks = meanRanks(runs);
            if (!ranks.isEmpty()) {
                double[] x = new double[ranks.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                }
                chart.addSeries(arm.label(), x, ranks.stream().mapToDouble(Double::doubleValue).toArray());
            }
        });
        return chart;
    }

    /** k-NN and linear top-1 of the self-supervised runs per arm (mean ± sd over seeds), with the initialization's k-NN for reference. */
    static byte[] sslChart(List<SslStudyRow> rows) throws IOException {
        XYChart chart = StudyReports.panel("ssl: top-1 by arm (numbered as in table.md)", "arm", "top-1 (mean over seeds)");
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Map<Arm, List<SslStudyRow>> arms = group(rows, r -> Arm.of(r.run()));
        addArmSeries(chart, "k-NN", arms, runs -> spreadOf(runs.stream().map(r -> r.result().knnTop1()).toList()));
        addArmSeries(chart, "linear", arms, runs -> spreadOf(runs.stream().map(r -> r.result().linearTop1()).toList()));
        SeedSpread init = spreadOf(rows.stream().map(r -> r.record().randomInitKnnTop1()).toList());
        if (init != null && !arms.isEmpty()) {
            chart.addSeries("k-NN at initialization", new double[] {1, Arm.values().length}, new double[] {init.mean(), init.mean()});
        }
        return StudyReports.grid(List.of(chart), 1);
    }

    /** One series over the arms (numbered along x), each point a mean over seeds with its standard deviation as error bar. */
    private static <T> void addArmSeries(XYChart chart, String name, Map<Arm, List<T>> arms, java.util.function.Function<List<T>, SeedSpread> spread) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        arms.forEach((arm, runs) -> {
            SeedSpread s = spread.apply(runs);
            if (s != null) {
                x.add(arm.ordinal() + 1.0);
                y.add(s.mean());
                err.add(s.std());
            }
        });
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y, err);
        }
    }
}
