package org.embreg.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.embreg.data.DatasetLocator;
import picocli.CommandLine.Option;

/** The options every training command shares: network size, seed, data, output and logging. */
final class RunOptions {
    @Option(names = "--dim", description = "embedding size d (default: ${DEFAULT-VALUE})")
    int dim = 128;

    @Option(names = "--width", description = "channels of the small CNN's first convolution (default: ${DEFAULT-VALUE})")
    int width = 32;

    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--data", description = "directory of IDX files in the MNIST layout, 8x8 to 64x64, one channel (default: Fashion-MNIST)")
    Path data;

    @Option(names = "--out", description = "run directory (default: runs/<command>-<time>)")
    Path out;

    @Option(names = "--max-train", description = "use at most this many training images, 0 = all (default: ${DEFAULT-VALUE})")
    int maxTrain;

    @Option(names = "--max-test", description = "evaluate on at most this many test images, 0 = all (default: ${DEFAULT-VALUE})")
    int maxTest;

    @Option(names = "--log-every", description = "log every this many iterations (default: ${DEFAULT-VALUE})")
    int logEvery = 10;

    /** --out, or runs/&lt;command&gt;-&lt;time&gt;. */
    Path outOr(String command) {
        return out != null ? out : Path.of("runs", command + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** The Fashion-MNIST locator for this user. */
    static DatasetLocator fashionMnist() {
        return DatasetLocator.fashionMnist(Path.of(System.getProperty("user.home")));
    }
}
