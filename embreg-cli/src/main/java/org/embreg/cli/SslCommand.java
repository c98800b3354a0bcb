package org.embreg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.embreg.experiments.ssl.SslConfig;
import org.embreg.experiments.ssl.SslExperiment;
import org.embreg.experiments.ssl.SslPreset;
import org.embreg.linalg.EigenSolvers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ssl", mixinStandardHelpOptions = true,
        description = {"VICReg self-supervised pretraining (two augmented views, small ResNet, expander, LARS) on Fashion-MNIST or --data,",
            "evaluated by weighted k-NN and a linear probe beside a random encoder, a supervised one and the raw pixels."})
final class SslCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", converter = Names.SslPresetName.class, description = "quick (within 30 minutes on 2 cores) or long (default: quick)")
    SslPreset preset = SslPreset.QUICK;

    @Option(names = "--steps", description = "pretraining steps (default: the preset's)")
    Integer steps;

    @Option(names = "--batch", description = "images per batch (default: the preset's)")
    Integer batch;

    @Option(names = "--lr", description = "LARS's base rate per 256 images, scaled by batch / 256 (default: the preset's)")
    Double lr;

    @Option(names = "--encoder", converter = Names.SslEncoderName.class, description = "small-resnet, or DJL's resnet (ResNet-20) or "
            + "mobilenetv2; the representation is 4 x the preset's width for each (default: small-resnet)")
    org.embreg.experiments.ssl.SslEncoder encoder;

    @Option(names = "--expander", description = "the expander's sizes, e.g. 512-512-512 (default: the preset's)")
    String expander;

    @Option(names = "--max-train", description = "training images, a seeded stratified sample; 0 = all (default: the preset's)")
    Integer maxTrain;

    @Option(names = "--max-test", description = "test images evaluated; 0 = all (default: the preset's)")
    Integer maxTest;

    @Option(names = "--ablation", description = "pretrain with every objective (full VICReg, without each term, SVMax for the variance term) "
            + "and compare them, with the loss timings")
    boolean ablation;

    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @CommandLine.Mixin
    LayerOptions layerOptions = new LayerOptions();

    @Option(names = "--data", description = "directory of MNIST-layout IDX files, 8x8 to 64x64, one channel (default: Fashion-MNIST)")
    Path data;

    @Option(names = "--out", description = "run directory; run again with the same one to continue a killed run from its last checkpoint "
            + "(default: runs/ssl-<time>)")
    Path out;

    @Override
    public Integer call() throws Exception {
        SslPreset p = preset;
        RunOptions paths = new RunOptions();
        paths.out = out;
        SslConfig base = p.config(seed, data, paths.outOr("ssl"));
        int s = steps == null ? base.steps() : steps;
        SslConfig c = new SslConfig(s, batch == null ? base.batchSize() : batch, lr == null ? base.baseLearningRate() : lr, base.weightDecay(),
                steps == null ? base.warmupSteps() : s / 10, base.width(), encoder == null ? base.encoder() : encoder, expander == null ? base.expander() : SslConfig.parseExpander(expander),
                base.invarianceWeight(), base.varianceWeight(), base.covarianceWeight(), seed, maxTrain == null ? base.maxTrain() : maxTrain,
                maxTest == null ? base.maxTest() : maxTest, base.logEvery(), data, base.out(), layerOptions.resolve(spec));
        SslExperiment experiment = new SslExperiment(RunOptions.fashionMnist(), System.getenv(), EigenSolvers.fastest());
        if (ablation) {
            SslExperiment.AblationResult result = experiment.ablation(c, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
            spec.commandLine().getOut().println();
            spec.commandLine().getOut().print(result.table());
            spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("ablation.json"));
            return 0;
        }
        SslExperiment.SslResult result = experiment.run(c, ConsoleProgress.forTerminal(spec.commandLine().getErr()));
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().print(result.table());
        spec.commandLine().getOut().println("results: " + result.runDirectory().resolve("results.json"));
        return 0;
    }
}
