package org.embreg.bench;

/** Runs the JMH benchmarks of this module: {@code java -cp ... org.embreg.bench.BenchMain [JMH options]}. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args);
    }
}
