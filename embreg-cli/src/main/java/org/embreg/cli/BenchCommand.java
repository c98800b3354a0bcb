package org.embreg.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.embreg.experiments.bench.SvmaxBench;
import org.embreg.experiments.report.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Micro-benchmarks, reported as median milliseconds.",
        subcommands = {BenchCommand.Svmax.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: svmax");
    }

    @Command(name = "svmax", mixinStandardHelpOptions = true,
            description = "Forward plus backward of the bounded SVMax regularizer (row normalization included) on a random batch.")
    static final class Svmax implements Callable<Integer> {
        @Option(names = "--batch", description = "rows b (default: ${DEFAULT-VALUE})")
        int batch = 144;

        @Option(names = "--dim", description = "columns d (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Option(names = "--warmup", description = "untimed repetitions (default: ${DEFAULT-VALUE})")
        int warmup = 200;

        @Option(names = "--repeats", description = "timed repetitions (default: ${DEFAULT-VALUE})")
        int repeats = 1000;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (batch < 2 || dim < 2 || repeats < 1 || warmup < 0) {
                throw new IllegalArgumentException("need --batch >= 2, --dim >= 2, --repeats >= 1 and --warmup >= 0");
            }
            SvmaxBench.Timing t = SvmaxBench.run(batch, dim, warmup, repeats, 1);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("benchmark", "svmax");
                m.put("batch", batch);
                m.put("dim", dim);
                m.put("repeats", repeats);
                m.put("medianMillis", t.medianMillis());
                spec.commandLine().getOut().println(RunDirectory.toJson(m));
            } else {
                spec.commandLine().getOut().printf(Locale.ROOT, "svmax forward+backward, %d x %d: median %.3f ms over %d runs%n", batch, dim, t.medianMillis(), repeats);
            }
            return 0;
        }
    }
}
