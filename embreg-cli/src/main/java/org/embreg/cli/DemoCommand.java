package org.embreg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.embreg.experiments.demo.DemoConfig;
import org.embreg.experiments.demo.DemoExperiment;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.linalg.EigenSolvers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains three arms (none, svmax, vicreg-variance) from one seed and initialization on Fashion-MNIST's",
            "open-set split at a learning rate where the unregularized arm collapses, and compares retrieval."})
final class DemoCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--iterations", description = "iterations per arm (default: ${DEFAULT-VALUE})")
    int iterations = DemoConfig.DEFAULT_ITERATIONS;

    @Option(names = "--lr", description = "base learning rate (default: ${DEFAULT-VALUE})")
    double lr = DemoConfig.DEFAULT_LEARNING_RATE;

    @Option(names = "--classes-per-batch", description = "p (default: ${DEFAULT-VALUE}; fewer classes in the data means all of them)")
    int classesPerBatch = 36;

    @Option(names = "--samples-per-class", description = "l (default: ${DEFAULT-VALUE}); the batch is p x l")
    int samplesPerClass = 4;

    @Option(names = "--svmax-lambda", description = "SVMax weight (default: ${DEFAULT-VALUE})")
    double svmaxLambda = 1.0;

    @Option(names = "--vicreg-lambda", description = "VICReg variance weight (default: ${DEFAULT-VALUE})")
    double vicregLambda = 1.0;

    @CommandLine.Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        Path dir = run.outOr("demo");
        TrainingConfig training = new TrainingConfig(RankingLossKind.CONTRASTIVE, Backbone.SMALL_CNN, null, iterations, lr, classesPerBatch,
                samplesPerClass, run.dim, run.width(spec, Backbone.SMALL_CNN), RegularizerKind.NONE, 0, run.seed, run.logEvery, run.monitor());
        DemoConfig config = new DemoConfig(training, svmaxLambda, vicregLambda, run.data, dir, run.maxTrain, run.maxTest);
        DemoExperiment demo = new DemoExperiment(RunOptions.fashionMnist(), System.getenv(), EigenSolvers.fastest());
        DemoExperiment.DemoResult result = demo.run(config, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("results.json"));
        return 0;
    }
}
