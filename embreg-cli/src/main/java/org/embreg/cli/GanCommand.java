package org.embreg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.embreg.experiments.gan.GanArm;
import org.embreg.experiments.gan.GanConfig;
import org.embreg.experiments.gan.GanExperiment;
import org.embreg.linalg.EigenSolvers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gan", mixinStandardHelpOptions = true,
        description = {"The SVMax paper's GAN on a ring of 8 Gaussians (Figure 3): plain, plain + SVMax, unrolled and unrolled + SVMax,",
            "from the same seed and initialization, measured with VEEGAN's mode counts. Given both --unrolled-steps and",
            "--svmax-weight, runs that one configuration."})
final class GanCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--unrolled-steps", description = "discriminator updates the unrolled GAN looks ahead through (default: "
            + GanArm.PAPER_UNROLLED_STEPS + "; 0 = plain)")
    Integer unrolledSteps;

    @Option(names = "--svmax-weight", description = "lambda of the vanilla SVMax term on the generated batch (default: " + GanArm.PAPER_SVMAX_WEIGHT
            + "; 0 = off)")
    Double svmaxWeight;

    @Option(names = "--steps", description = "generator updates per run (default: ${DEFAULT-VALUE})")
    int steps = GanConfig.DEFAULT_STEPS;

    @Option(names = "--lr", description = "Adam's learning rate for both networks (default: ${DEFAULT-VALUE}, the paper's)")
    double lr = GanConfig.PAPER_LEARNING_RATE;

    @Option(names = "--d-lr", description = "the discriminator's own rate (default: --lr; the public unrolled-GAN code used 1e-4 with 1e-3 for "
            + "the generator)")
    Double dLr;

    @Option(names = "--seeds", description = "repeat every configuration over this many seeds (default: ${DEFAULT-VALUE})")
    int seeds = GanConfig.DEFAULT_SEEDS;

    @Option(names = "--seed", description = "the first seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", description = "run directory (default: runs/gan-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<GanArm> arms;
        if (unrolledSteps != null && svmaxWeight != null) {
            arms = List.of(new GanArm(unrolledSteps, svmaxWeight));
        } else {
            int k = unrolledSteps == null ? GanArm.PAPER_UNROLLED_STEPS : unrolledSteps;
            if (k < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--unrolled-steps must be >= 0, got " + k);
            }
            if (k < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--unrolled-steps " + k + " without --svmax-weight: the four "
                        + "configurations need an unrolling of at least 1 (give --svmax-weight too to run one plain configuration)");
            }
            arms = GanArm.paperArms(k, svmaxWeight == null ? GanArm.PAPER_SVMAX_WEIGHT : svmaxWeight);
        }
        RunOptions paths = new RunOptions();
        paths.out = out;
        GanConfig config = GanConfig.paper(arms, steps, lr, dLr == null ? lr : dLr, seed, seeds, paths.outOr("gan"));
        GanExperiment.GanResult result = new GanExperiment(System.getenv(), EigenSolvers.fastest())
                .run(config, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("results.json"));
        return 0;
    }
}
