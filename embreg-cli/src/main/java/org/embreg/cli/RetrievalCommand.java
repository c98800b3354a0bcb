package org.embreg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.model.LayerRegularization;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalExperiment;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.BatchLayout;
import org.embreg.linalg.EigenSolvers;
import org.embreg.experiments.retrieval.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Trains one ranking loss (with an optional regularizer) on the open-set split and evaluates retrieval on the unseen classes.")
final class RetrievalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--loss", required = true, converter = Names.Loss.class,
            completionCandidates = Names.LossNames.class, description = "${COMPLETION-CANDIDATES}")
    RankingLossKind loss;

    @Option(names = "--regularizer", converter = Names.Regularizer.class,
            completionCandidates = Names.RegularizerNames.class, description = "${COMPLETION-CANDIDATES} (default: none)")
    RegularizerKind regularizer = RegularizerKind.NONE;

    @Option(names = "--lambda", description = "regularizer weight (default: the paper's for the loss with svmax: 1, triplet 0.1, angular 2; else 1)")
    Double lambda;

    @CommandLine.Mixin
    LayerOptions layerOptions = new LayerOptions();

    @Option(names = "--weight-decay", description = "SGD's weight decay on every parameter (default: 0)")
    double weightDecay;

    @Option(names = "--lr", required = true, description = "base learning rate")
    double lr;

    @Option(names = "--iterations", required = true, description = "iterations K")
    int iterations;

    @Option(names = "--batch", description = "batch size b, a multiple of the loss's samples per class (default: the paper's 144)")
    Integer batch;

    @Option(names = "--backbone", converter = Names.BackboneName.class,
            completionCandidates = Names.BackboneNames.class, description = "${COMPLETION-CANDIDATES} (default: small-cnn)")
    Backbone backbone = Backbone.SMALL_CNN;

    @Option(names = "--weights", description = "DJL parameters to start from (saved by a previous run's <arm>.params)")
    Path weights;

    @CommandLine.Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        BatchLayout layout;
        try {
            layout = batch == null ? loss.paperLayout() : loss.layout(batch);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--batch: " + e.getMessage());
        }
        if (lambda != null && regularizer == RegularizerKind.NONE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lambda has no effect without --regularizer");
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        double weight = lambda != null ? lambda : regularizer.defaultWeight(loss);
        LayerRegularization layers = layerOptions.resolve(spec);
        TrainingConfig training = new TrainingConfig(loss, backbone, weights, iterations, lr, layout.classesPerBatch(), layout.samplesPerClass(),
                run.dim, run.width(spec, backbone), regularizer, weight, run.seed, run.logEvery, run.monitor(), layers, weightDecay);
        Path dir = run.outOr("retrieval");
        RetrievalExperiment experiment = new RetrievalExperiment(RunOptions.fashionMnist(), System.getenv(), EigenSolvers.fastest());
        ArmResult arm = experiment.run(new RetrievalExperiment.Config(training, run.data, dir, run.maxTrain, run.maxTest),
                ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().printf("%s%nresults: %s%n", ArmReport.summary(arm), dir.resolve("results.json"));
        return 0;
    }
}
