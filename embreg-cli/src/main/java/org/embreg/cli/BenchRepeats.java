package org.embreg.cli;

import picocli.CommandLine.Option;

/** Size and repetition options of the metric benchmarks. */
final class BenchRepeats {
    @Option(names = "--n", description = "rows (default: ${DEFAULT-VALUE})")
    int n = 60000;

    @Option(names = "--dim", description = "columns (default: ${DEFAULT-VALUE})")
    int dim = 128;

    @Option(names = "--repeats", description = "timed runs (default: ${DEFAULT-VALUE})")
    int repeats = 3;

    @Option(names = "--warmup", description = "untimed runs (default: ${DEFAULT-VALUE})")
    int warmup = 1;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;
}
