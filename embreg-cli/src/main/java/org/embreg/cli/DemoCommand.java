package org.embreg.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.demo.DemoConfig;
import org.embreg.experiments.demo.DemoExperiment;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains three arms (none, svmax, vicreg-variance) from one seed and initialization on Fashion-MNIST's",
            "open-set split at a learning rate where the unregularized arm collapses, and compares retrieval."})
final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", description = "run directory (default: runs/demo-<time>)")
    Path out;

    @Option(names = "--data", description = "directory of IDX files in the MNIST layout (default: locate Fashion-MNIST)")
    Path data;

    @Option(names = "--iterations", description = "iterations per arm (default: ${DEFAULT-VALUE})")
    int iterations = DemoConfig.DEFAULT_ITERATIONS;

    @Option(names = "--lr", description = "base learning rate (default: ${DEFAULT-VALUE})")
    double lr = DemoConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--dim", description = "embedding size d (default: ${DEFAULT-VALUE})")
    int dim = 128;

    @Option(names = "--classes-per-batch", description = "p (default: ${DEFAULT-VALUE}; fewer classes in the data means all of them)")
    int classesPerBatch = 36;

    @Option(names = "--samples-per-class", description = "l (default: ${DEFAULT-VALUE}); the batch is p x l")
    int samplesPerClass = 4;

    @Option(names = "--width", description = "channels of the first convolution (default: ${DEFAULT-VALUE})")
    int width = 32;

    @Option(names = "--svmax-lambda", description = "SVMax weight (default: ${DEFAULT-VALUE})")
    double svmaxLambda = 1.0;

    @Option(names = "--vicreg-lambda", description = "VICReg variance weight (default: ${DEFAULT-VALUE})")
    double vicregLambda = 1.0;

    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--max-train", description = "use at most this many training images, 0 = all (default: ${DEFAULT-VALUE})")
    int maxTrain;

    @Option(names = "--max-test", description = "evaluate on at most this many test images, 0 = all (default: ${DEFAULT-VALUE})")
    int maxTest;

    @Option(names = "--log-every", description = "log every this many iterations (default: ${DEFAULT-VALUE})")
    int logEvery = 10;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        TrainingConfig training = new TrainingConfig(RankingLossKind.CONTRASTIVE, Backbone.SMALL_CNN, null, iterations, lr, classesPerBatch, samplesPerClass, dim, width, RegularizerKind.NONE, 0, seed,
                logEvery);
        DemoConfig config = new DemoConfig(training, svmaxLambda, vicregLambda, data, dir, maxTrain, maxTest);
        DemoExperiment demo = new DemoExperiment(DatasetLocator.fashionMnist(Path.of(System.getProperty("user.home"))), System.getenv());
        DemoExperiment.DemoResult result = demo.run(config, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("results.json"));
        return 0;
    }
}
