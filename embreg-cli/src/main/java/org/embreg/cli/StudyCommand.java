package org.embreg.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.study.LearningRateStudy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "study", mixinStandardHelpOptions = true, description = "The paper's retrieval studies, as resumable runs that write a report.",
        subcommands = {StudyCommand.Lr.class})
final class StudyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a study is required: lr");
    }

    /** The presets by name. */
    enum PresetName {
        quick(LearningRateStudy.Preset.QUICK),
        paper(LearningRateStudy.Preset.PAPER);

        final LearningRateStudy.Preset preset;

        PresetName(LearningRateStudy.Preset preset) {
            this.preset = preset;
        }
    }

    @Command(name = "lr", mixinStandardHelpOptions = true,
            description = {"Table 1 / Figure 9: every loss x {none, spread-out, svmax} x learning rates, on the open-set split.",
                "Restarted with the same --out, it skips finished runs."})
    static final class Lr implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", description = "quick (K = 300, lr 0.01 0.1 1 8, 2,000 test images) or paper (K = 5000) (default: ${DEFAULT-VALUE})")
        PresetName preset = PresetName.quick;

        @Option(names = "--losses", split = ",", converter = Names.Loss.class, description = "comma-separated subset (default: all five)")
        List<RankingLossKind> losses = Arrays.asList(RankingLossKind.values());

        @Option(names = "--dim", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Option(names = "--width", description = "small CNN width (default: ${DEFAULT-VALUE})")
        int width = 32;

        @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(names = "--data", description = "MNIST-layout IDX directory (default: Fashion-MNIST)")
        Path data;

        @Option(names = "--out", description = "study directory; reuse it to resume (default: runs/study-lr-<time>)")
        Path out;

        @Override
        public Integer call() throws Exception {
            Path dir = out != null ? out : Path.of("runs", "study-lr-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            new LearningRateStudy(RunOptions.fashionMnist(), System.getenv())
                    .run(preset.preset, losses, dim, width, seed, data, dir, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
            spec.commandLine().getOut().println("report: " + dir.resolve("table.md"));
            return 0;
        }
    }
}
