package org.embreg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalExperiment;
import org.embreg.experiments.retrieval.RetrievalTrainer;
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
            description = "contrastive, triplet, npair, angular or lifted")
    RankingLossKind loss;

    @Option(names = "--regularizer", converter = Names.Regularizer.class,
            description = "none, svmax, spread-out or vicreg-variance (default: none)")
    RegularizerKind regularizer = RegularizerKind.NONE;

    @Option(names = "--lambda", description = "regularizer weight (default: the paper's for the loss with svmax: 1, triplet 0.1, angular 2; else 1)")
    Double lambda;

    @Option(names = "--lr", required = true, description = "base learning rate")
    double lr;

    @Option(names = "--iterations", required = true, description = "iterations K")
    int iterations;

    @Option(names = "--batch", description = "batch size b, a multiple of the loss's samples per class (default: the paper's 144)")
    Integer batch;

    @Option(names = "--backbone", converter = Names.BackboneName.class,
            description = "small-cnn, mobilenetv2, googlenet or resnet (default: small-cnn)")
    Backbone backbone = Backbone.SMALL_CNN;

    @Option(names = "--weights", description = "DJL parameters to start from (saved by a previous run's <arm>.params)")
    Path weights;

    @CommandLine.Mixin
    RunOptions run = new RunOptions();

    @Override
    public Integer call() throws Exception {
        int l = loss.samplesPerClass();
        int b = batch == null ? loss.classesPerBatch() * l : batch;
        if (b < 2 * l || b % l != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batch " + b + " must be a multiple of " + l + " (the " + loss.cliName() + " loss's samples per class) and at least " + 2 * l);
        }
        double weight = lambda != null ? lambda : regularizer.defaultWeight(loss);
        TrainingConfig training = new TrainingConfig(loss, backbone, weights, iterations, lr, b / l, l, run.dim, run.width, regularizer, weight, run.seed, run.logEvery);
        Path dir = run.outOr("retrieval");
        RetrievalExperiment experiment = new RetrievalExperiment(RunOptions.fashionMnist(), System.getenv());
        RetrievalTrainer.ArmResult arm = experiment.run(new RetrievalExperiment.Config(training, run.data, dir, run.maxTrain, run.maxTest),
                ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        var m = arm.metrics();
        spec.commandLine().getOut().printf(Locale.ROOT, "%s + %s (lambda %s): R@1 %.4f R@2 %.4f R@4 %.4f R@8 %.4f NMI %.4f MAP@R %.4f RP %.4f "
                + "s_mu %.4f in [%.4f, %.4f]%s%nresults: %s%n", loss.cliName(), regularizer.armName(), weight, m.recallAt()[0], m.recallAt()[1],
                m.recallAt()[2], m.recallAt()[3], m.nmi(), m.mapAtR(), m.rPrecision(), m.meanSingularValue(), m.lowerBound(), m.upperBound(),
                arm.diverged() ? " (diverged)" : "", dir.resolve("results.json"));
        return 0;
    }
}
