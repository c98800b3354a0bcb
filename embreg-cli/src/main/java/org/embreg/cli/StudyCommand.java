package org.embreg.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.study.BatchDimStudy;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.study.LayersStudy;
import org.embreg.experiments.study.LearningRateStudy;
import org.embreg.experiments.study.SpectrumStudy;
import org.embreg.experiments.study.Study;
import org.embreg.experiments.study.StudyPreset;
import org.embreg.experiments.study.StudyRunner;
import org.embreg.linalg.EigenSolvers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "study", mixinStandardHelpOptions = true, description = "The paper's retrieval studies, as resumable runs that write a report.",
        subcommands = {StudyCommand.Lr.class, StudyCommand.BatchDim.class, StudyCommand.Spectrum.class, StudyCommand.Layers.class})
final class StudyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Names.missingSubcommand(spec, "study");
    }

    /** The preset names on the command line. */
    enum PresetName {
        quick(StudyPreset.Scale.QUICK),
        paper(StudyPreset.Scale.PAPER);

        final StudyPreset.Scale scale;

        PresetName(StudyPreset.Scale scale) {
            this.scale = scale;
        }
    }

    /** What every study takes: its size, the network width, the seed, the data and where it writes. */
    static final class StudyOptions {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", description = "quick (K = 300, 2,000 test images) or paper (K = 5000, the whole test split) (default: ${DEFAULT-VALUE})")
        PresetName preset = PresetName.quick;

        @Option(names = "--width", description = "small CNN width (default: ${DEFAULT-VALUE})")
        int width = 32;

        @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(names = "--data", description = "MNIST-layout IDX directory (default: Fashion-MNIST)")
        Path data;

        @Option(names = "--out", description = "study directory; reuse it to resume (default: runs/study-<name>-<time>)")
        Path out;

        StudyPreset preset(StudyPreset quick, StudyPreset paper) {
            return preset.scale.choose(quick, paper);
        }

        /** Runs the study into --out and names its report. */
        int run(String name, Study study, String report) throws Exception {
            Path dir = out != null ? out : Path.of("runs", "study-" + name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            new StudyRunner(System.getenv(), EigenSolvers.fastest()).run(study, RunOptions.fashionMnist(), data, dir, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
            spec.commandLine().getOut().println("report: " + dir.resolve("table.md") + ", " + dir.resolve(report));
            return 0;
        }
    }

    @Command(name = "lr", mixinStandardHelpOptions = true,
            description = {"Table 1 / Figure 9: every loss x {none, spread-out, svmax} x learning rates, on the open-set split.",
                "quick: lr 0.01 0.1 1 8. Restarted with the same --out, it skips finished runs."})
    static final class Lr implements Callable<Integer> {
        @Mixin
        StudyOptions options;

        @Option(names = "--losses", split = ",", converter = Names.Loss.class, completionCandidates = Names.LossNames.class,
                description = "comma-separated subset of ${COMPLETION-CANDIDATES} (default: all)")
        List<RankingLossKind> losses = Arrays.asList(RankingLossKind.values());

        @Option(names = "--dim", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Override
        public Integer call() throws Exception {
            StudyPreset preset = options.preset(LearningRateStudy.QUICK, LearningRateStudy.PAPER);
            return options.run("lr", new LearningRateStudy(preset, losses, dim, options.width, options.seed), "recall-vs-lr.png");
        }
    }

    @Command(name = "batch-dim", mixinStandardHelpOptions = true,
            description = {"Figure 5: b in {72, 288} x d in {64, 256}, none vs svmax at one fixed lambda, across learning rates.",
                "quick: lr 0.1 1 8. Restarted with the same --out, it skips finished runs."})
    static final class BatchDim implements Callable<Integer> {
        @Mixin
        StudyOptions options;

        @Option(names = "--losses", split = ",", converter = Names.Loss.class, completionCandidates = Names.LossNames.class,
                description = "comma-separated subset of ${COMPLETION-CANDIDATES} (default: contrastive)")
        List<RankingLossKind> losses = List.of(RankingLossKind.CONTRASTIVE);

        @Override
        public Integer call() throws Exception {
            StudyPreset preset = options.preset(BatchDimStudy.QUICK, BatchDimStudy.PAPER);
            return options.run("batch-dim", new BatchDimStudy(preset, losses, options.width, options.seed), "recall-vs-lr.png");
        }
    }

    @Command(name = "spectrum", mixinStandardHelpOptions = true,
            description = {"Figure 6: s_mu of the test embeddings against the training batch size b in {36, 72, 144, 288}, none vs svmax,",
                "with the bounds drawn. quick: lr 0.1 and 8. Restarted with the same --out, it skips finished runs."})
    static final class Spectrum implements Callable<Integer> {
        @Mixin
        StudyOptions options;

        @Option(names = "--losses", split = ",", converter = Names.Loss.class, completionCandidates = Names.LossNames.class,
                description = "comma-separated subset of ${COMPLETION-CANDIDATES} (default: contrastive)")
        List<RankingLossKind> losses = List.of(RankingLossKind.CONTRASTIVE);

        @Option(names = "--dim", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Override
        public Integer call() throws Exception {
            StudyPreset preset = options.preset(SpectrumStudy.QUICK, SpectrumStudy.PAPER);
            return options.run("spectrum", new SpectrumStudy(preset, losses, dim, options.width, options.seed), "spectrum.png");
        }
    }

    @Command(name = "layers", mixinStandardHelpOptions = true,
            description = {"Regularizing every layer: contrastive loss with no regularizer, weight decay (1e-4, 5e-4, 2e-3), SVMax and VICReg's",
                "variance on the embedding and on every layer, weight decay + SVMax on every layer; per backbone, at lr 0.1 and 8, over seeds;",
                "then the same arms on the self-supervised pipeline (VICReg's invariance term as the plain objective), judged by k-NN and",
                "linear top-1. quick: K = 300 (small CNN) and 100 (resnet), ssl 200 steps of 64 images; paper: K = 5000, ssl as its quick",
                "preset. Restarted with the same --out, it skips finished runs."})
    static final class Layers implements Callable<Integer> {
        @Mixin
        StudyOptions options;

        @Option(names = "--backbones", split = ",", converter = Names.BackboneName.class, completionCandidates = Names.BackboneNames.class,
                description = "comma-separated subset of ${COMPLETION-CANDIDATES} (default: small-cnn,resnet)")
        List<Backbone> backbones = List.of(Backbone.SMALL_CNN, Backbone.RESNET);

        @Option(names = "--seeds", description = "how many seeds, from --seed on (default: ${DEFAULT-VALUE})")
        int seeds = 3;

        @Option(names = "--dim", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Option(names = "--ssl", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "also run the self-supervised arms; --no-ssl: the retrieval arms alone (default: ${DEFAULT-VALUE})")
        boolean ssl = true;

        @Override
        public Integer call() throws Exception {
            if (seeds < 1) {
                throw new CommandLine.ParameterException(options.spec.commandLine(), "--seeds must be >= 1, got " + seeds);
            }
            StudyPreset preset = options.preset(LayersStudy.QUICK, LayersStudy.PAPER);
            StudyPreset.Scale scale = options.preset.scale;
            int deep = scale.choose(LayersStudy.QUICK_DEEP_ITERATIONS, preset.iterations());
            List<Long> seedList = java.util.stream.LongStream.range(options.seed, options.seed + seeds).boxed().toList();
            org.embreg.experiments.ssl.SslConfig sslRuns = ssl ? scale.choose(LayersStudy.QUICK_SSL, LayersStudy.PAPER_SSL) : null;
            return options.run("layers", new LayersStudy(preset, deep, backbones, dim, options.width, seedList, sslRuns), "recall-by-arm.png");
        }
    }
}
