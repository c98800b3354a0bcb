package org.embreg.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embreg.spark.SparkEmbed;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embeds an image set of any size with a trained model on Apache Spark and writes Parquet (embedding, label, id) for analyze --spark.")
final class EmbedCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--run", required = true, paramLabel = "DIR", description = "the directory of a retrieval or demo run (results.json and <arm>.params)")
    Path run;

    @Option(names = "--arm", paramLabel = "NAME", description = "the arm whose parameters to use (needed when the run kept several, as demo does)")
    String arm;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "an MNIST-layout directory (IDX files, raw or gzip)")
    Path images;

    @Option(names = "--split", paramLabel = "SPLIT", description = "test or train (default: ${DEFAULT-VALUE})")
    String split = "test";

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the Parquet directory to write (must not exist)")
    Path out;

    @Option(names = "--spark", paramLabel = "MASTER", description = "local[N], a cluster's master URL, or empty for the one spark-submit set (default: local[*])")
    String spark = "";

    @Option(names = "--batch", paramLabel = "N", description = "images per forward pass (default: ${DEFAULT-VALUE})")
    int batch = 500;

    @Override
    public Integer call() {
        boolean train = switch (split) {
            case "train" -> true;
            case "test" -> false;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--split must be test or train, got '" + split + "'");
        };
        SparkEmbed.Summary s;
        try {
            s = SparkEmbed.run(new SparkEmbed.Request(spark, run, arm, images, train, out, batch), System.getenv());
        } catch (NoClassDefFoundError e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "embed needs Apache Spark on the class path: run through the ./embreg "
                    + "launcher (it adds it) or spark-submit (see the README)");
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "embedded %d images (d = %d) with %s on %s in %d task(s), %.1f s: %s%n", s.rows(), s.dim(),
                s.model(), s.master(), s.partitions(), s.seconds(), out);
        return 0;
    }
}
