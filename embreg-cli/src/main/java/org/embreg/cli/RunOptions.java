package org.embreg.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.TrainingConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every training command shares: network size, seed, data, output and logging. */
final class RunOptions {
    /** The small CNN's default width. */
    static final int DEFAULT_WIDTH = 32;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    int dim = 128;

    @Option(names = "--width", description = "channels of the small CNN's first convolution (default: " + DEFAULT_WIDTH + "; small-cnn only)")
    Integer width;

    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--data", description = "directory of IDX files in the MNIST layout, 8x8 to 64x64, one channel (default: Fashion-MNIST)")
    Path data;

    @Option(names = "--out", description = "run directory (default: runs/<command>-<time>)")
    Path out;

    @Option(names = "--monitor-block", description = {"the collapse monitor watches the output of this block of the network "
        + "(a child of the small CNN: 01Conv2d, 02LambdaBlock, 03LambdaBlock, 04Conv2d, ...; default: the embedding)"})
    String monitorBlock;

    @Option(names = "--stop-on-collapse", description = "stop training when the collapse monitor sees a measure cross its threshold")
    boolean stopOnCollapse;

    int maxTrain;

    int maxTest;

    int logEvery = 10;

    @Option(names = "--dim", description = "embedding size d (default: 128)")
    void setDim(int value) {
        dim = atLeast("--dim", value, 2);
    }

    @Option(names = "--max-train", description = "use at most this many training images, 0 = all (default: 0)")
    void setMaxTrain(int value) {
        maxTrain = atLeast("--max-train", value, 0);
    }

    @Option(names = "--max-test", description = "evaluate on a seeded sample of at most this many test images, drawn across classes; 0 = all (default: 0)")
    void setMaxTest(int value) {
        maxTest = atLeast("--max-test", value, 0);
    }

    @Option(names = "--log-every", description = "log and measure collapse every this many iterations (default: 10)")
    void setLogEvery(int value) {
        logEvery = atLeast("--log-every", value, 1);
    }

    private int atLeast(String option, int value, int min) {
        if (value < min) {
            throw new CommandLine.ParameterException(mixee.commandLine(), option + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** --width for the small CNN (default 32); an error with another backbone, which has no such setting. */
    int width(CommandLine.Model.CommandSpec spec, Backbone backbone) {
        if (backbone != Backbone.SMALL_CNN) {
            if (width != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--width sets the small CNN's channels; it has no effect with --backbone "
                        + backbone.cliName());
            }
            return 0;
        }
        int w = width == null ? DEFAULT_WIDTH : width;
        if (w < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--width must be >= 1, got " + w);
        }
        return w;
    }

    /** The collapse monitor's settings. */
    TrainingConfig.Monitor monitor() {
        return new TrainingConfig.Monitor(monitorBlock, stopOnCollapse);
    }

    /** --out, or runs/&lt;command&gt;-&lt;time&gt;. */
    Path outOr(String command) {
        return out != null ? out : Path.of("runs", command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The Fashion-MNIST locator for this user. */
    static DatasetLocator fashionMnist() {
        return DatasetLocator.fashionMnist(Path.of(System.getProperty("user.home")));
    }
}
