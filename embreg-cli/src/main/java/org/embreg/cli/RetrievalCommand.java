package org.embreg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
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

    @Option(names = "--layer-regularizer", converter = Names.Regularizer.class, completionCandidates = Names.RegularizerNames.class,
            description = "a regularizer on every layer of the backbone besides the embedding's: ${COMPLETION-CANDIDATES} (default: none)")
    RegularizerKind layerRegularizer = RegularizerKind.NONE;

    @Option(names = "--layer-weight", description = "the weight of each layer's term (default: 1 with --layer-regularizer)")
    Double layerWeight;

    @Option(names = "--watch-layers", description = "watch every layer of the backbone for collapse (<arm>-layer-<block>.csv, results.json's arm.layers); "
            + "on with --layer-regularizer")
    boolean watchLayers;

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
        if (layerWeight != null && layerRegularizer == RegularizerKind.NONE) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layer-weight has no effect without --layer-regularizer");
        }
        if (layerWeight != null && !(layerWeight >= 0 && Double.isFinite(layerWeight))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--layer-weight must be a finite number >= 0, got " + layerWeight);
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--weight-decay must be a finite number >= 0, got " + weightDecay);
        }
        double weight = lambda != null ? lambda : regularizer.defaultWeight(loss);
        TrainingConfig.Layers layers = layerRegularizer == RegularizerKind.NONE ? (watchLayers ? TrainingConfig.Layers.WATCHED : TrainingConfig.Layers.NONE)
                : TrainingConfig.Layers.regularized(layerRegularizer, layerWeight == null ? 1 : layerWeight);
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
