package org.embreg.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.embreg.experiments.bench.MetricsBench;
import org.embreg.experiments.bench.StepBench;
import org.embreg.experiments.bench.ListenerBench;
import org.embreg.experiments.bench.LossBench;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.retrieval.BatchLayout;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.linalg.EigenSolvers;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.experiments.report.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Micro-benchmarks, reported as median milliseconds.",
        subcommands = {BenchCommand.Svmax.class, BenchCommand.LossCommand.class, BenchCommand.Recall.class, BenchCommand.NmiBench.class,
            BenchCommand.Step.class, BenchCommand.Listeners.class, BenchCommand.Regularizers.class})
final class BenchCommand implements Runnable {
    private static final double GIB = 1L << 30;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw Names.missingSubcommand(spec, "benchmark");
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
            LossBench.Timing t = LossBench.run(SvmaxRegularizer.builder().build(), null, batch, dim, warmup, repeats, 1);
            emit(spec, json, "svmax", fields("batch", batch, "dim", dim, "repeats", repeats, "medianMillis", t.medianMillis()),
                    String.format(Locale.ROOT, "svmax forward+backward, %d x %d: median %.3f ms over %d runs", batch, dim, t.medianMillis(), repeats));
            return 0;
        }
    }

    /** Prints a metric timing as text or one JSON object. */
    static void print(picocli.CommandLine.Model.CommandSpec spec, boolean json, String name, Map<String, Object> params, MetricsBench.Timing t,
            String valueName) {
        Map<String, Object> m = new LinkedHashMap<>(params);
        m.put("medianMillis", t.medianMillis());
        m.put(valueName, t.value());
        emit(spec, json, name, m, String.format(Locale.ROOT, "%s %s: median %.1f ms over %d runs (%s %.4f)", name, params, t.medianMillis(),
                t.samplesMillis().length, valueName, t.value()));
    }

    /** Prints one JSON object (the benchmark's name, then the fields) or the text line. */
    static void emit(picocli.CommandLine.Model.CommandSpec spec, boolean json, String benchmark, Map<String, Object> fields, String text) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", benchmark);
            m.putAll(fields);
            spec.commandLine().getOut().println(RunDirectory.toJson(m));
        } else {
            spec.commandLine().getOut().println(text);
        }
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Command(name = "recall", mixinStandardHelpOptions = true,
            description = "Exact Recall@1,2,4,8 over all rows of seeded synthetic embeddings (the peers use the same recipe).")
    static final class Recall implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--classes", description = "classes (default: ${DEFAULT-VALUE})")
        int classes = 100;

        @picocli.CommandLine.Mixin
        BenchRepeats size = new BenchRepeats();

        @Override
        public Integer call() {
            if (size.n < 9 || size.dim < 1 || classes < 1 || size.repeats < 1 || size.warmup < 0) {
                throw new IllegalArgumentException("need --n >= 9, --dim >= 1, --classes >= 1, --repeats >= 1, --warmup >= 0");
            }
            MetricsBench.Timing t = MetricsBench.recall(size.n, size.dim, classes, size.warmup, size.repeats, 1);
            print(spec, size.json, "recall", new LinkedHashMap<>(Map.of("n", size.n, "dim", size.dim)), t, "recallAt1");
            return 0;
        }
    }

    @Command(name = "nmi", mixinStandardHelpOptions = true,
            description = "k-means (k-means++, restarts) plus NMI on seeded synthetic embeddings (the peers use the same recipe).")
    static final class NmiBench implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--clusters", description = "k, also the number of classes (default: ${DEFAULT-VALUE})")
        int clusters = 100;

        @Option(names = "--restarts", description = "k-means restarts (default: ${DEFAULT-VALUE})")
        int restarts = 3;

        @picocli.CommandLine.Mixin
        BenchRepeats size = new BenchRepeats();

        @Override
        public Integer call() {
            if (size.n < clusters || clusters < 1 || size.dim < 1 || restarts < 1 || size.repeats < 1 || size.warmup < 0) {
                throw new IllegalArgumentException("need --n >= --clusters >= 1, --dim >= 1, --restarts >= 1, --repeats >= 1, --warmup >= 0");
            }
            MetricsBench.Timing t = MetricsBench.nmi(size.n, size.dim, clusters, restarts, size.warmup, size.repeats, 1);
            print(spec, size.json, "nmi", new LinkedHashMap<>(Map.of("n", size.n, "dim", size.dim, "clusters", clusters, "restarts", restarts)), t, "nmi");
            return 0;
        }
    }

    /** The loss's batch layout for --batch, or a usage error naming the option. */
    static BatchLayout layout(RankingLossKind loss, int batch) {
        try {
            return loss.layout(batch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--batch: " + e.getMessage(), e);
        }
    }

    /** The retrieval runs' objective: the loss plus the regularizer at its default weight for that loss. */
    static EmbeddingLoss objective(RankingLossKind loss, RegularizerKind regularizer) {
        return RetrievalTrainer.lossFor(loss, regularizer, regularizer.defaultWeight(loss), 1, EigenSolvers.fastest());
    }

    @Command(name = "step", mixinStandardHelpOptions = true,
            description = {"One SGD training step of the embedding network on a random batch, loss mean(E^2) or a ranking loss (plus a",
                "regularizer): median of the step and of its phases (network forward, loss, backward, optimizer).",
                "Peer: embreg-bench/peers/cnn_step_torch.py."})
    static final class Step implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--backbone", converter = Names.BackboneName.class, completionCandidates = Names.BackboneNames.class,
                description = "${COMPLETION-CANDIDATES} (default: small-cnn)")
        Backbone backbone = Backbone.SMALL_CNN;

        @Option(names = "--batch", description = "images per batch (default: ${DEFAULT-VALUE})")
        int batch = 144;

        @Option(names = "--size", description = "image height and width (default: ${DEFAULT-VALUE})")
        int size = 28;

        @Option(names = "--width", description = "small CNN width (default: ${DEFAULT-VALUE})")
        int width = 32;

        @Option(names = "--dim", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Option(names = "--loss", converter = Names.Loss.class, completionCandidates = Names.LossNames.class,
                description = "${COMPLETION-CANDIDATES}, on the batch laid out as its paper's p classes x l samples (default: mean(E^2), the "
                        + "network alone)")
        RankingLossKind loss;

        @Option(names = "--regularizer", converter = Names.Regularizer.class, completionCandidates = Names.RegularizerNames.class,
                description = "${COMPLETION-CANDIDATES}, beside --loss with the retrieval runs' weight (default: none)")
        RegularizerKind regularizer = RegularizerKind.NONE;

        @Option(names = "--warmup", description = "untimed steps (default: ${DEFAULT-VALUE})")
        int warmup = 10;

        @Option(names = "--repeats", description = "timed steps (default: ${DEFAULT-VALUE})")
        int repeats = 50;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() {
            if (batch < 1 || size < 8 || width < 1 || dim < 1 || repeats < 1 || warmup < 0) {
                throw new IllegalArgumentException("need --batch >= 1, --size >= 8, --width >= 1, --dim >= 1, --repeats >= 1, --warmup >= 0");
            }
            long pixels = (long) batch * size * size;
            String batchText = "--batch " + batch + " x --size " + size + " x " + size + " = " + pixels + " pixels";
            if (pixels > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(batchText + ", more than one Java array holds (2147483639); lower --batch or --size");
            }
            long heap = Runtime.getRuntime().maxMemory();
            if (Float.BYTES * pixels > heap / 2) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s need %.1f GiB as float32, more than half the Java heap (%.1f GiB); "
                        + "lower --batch or --size, or give Java more memory (EMBREG_JAVA_OPTS=-Xmx...)", batchText, Float.BYTES * pixels / GIB,
                        heap / GIB));
            }
            if (loss == null && regularizer != RegularizerKind.NONE) {
                throw new IllegalArgumentException("--regularizer " + regularizer.armName() + " needs a --loss beside it");
            }
            int[] labels = loss == null ? null : layout(loss, batch).labels();
            EmbeddingLoss objective = loss == null ? null : objective(loss, regularizer);
            String objectiveName = loss == null ? "mean-square" : loss.cliName() + " + " + regularizer.armName();
            StepBench.Timing t = StepBench.run(backbone, batch, size, width, dim, objective, labels, warmup, repeats, 1);
            emit(spec, json, "step", fields("backbone", backbone.cliName(), "objective", objectiveName, "batch", batch, "size", size, "width",
                    width, "dim", dim, "medianMillis", t.medianMillis(), "forwardMillis", t.forwardMillis(), "lossMillis", t.lossMillis(),
                    "backwardMillis", t.backwardMillis(), "stepMillis", t.stepMillis()), String.format(Locale.ROOT, "%s step, %s, batch %d of "
                    + "%dx%d: median %.2f ms (forward %.2f, loss %.2f, backward %.2f, optimizer %.2f) over %d steps", backbone.cliName(),
                    objectiveName, batch, size, size, t.medianMillis(), t.forwardMillis(), t.lossMillis(), t.backwardMillis(), t.stepMillis(),
                    repeats));
            return 0;
        }
    }

    @Command(name = "loss", mixinStandardHelpOptions = true,
            description = {"Forward plus backward of a ranking loss (plus a weighted regularizer) on a random batch laid out as the paper's",
                "p classes x l samples. Peer: embreg-bench/peers/loss_torch.py."})
    static final class LossCommand implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--loss", converter = Names.Loss.class, completionCandidates = Names.LossNames.class,
                description = "${COMPLETION-CANDIDATES} (default: contrastive)")
        RankingLossKind loss = RankingLossKind.CONTRASTIVE;

        @Option(names = "--regularizer", converter = Names.Regularizer.class, completionCandidates = Names.RegularizerNames.class,
                description = "${COMPLETION-CANDIDATES} (default: none)")
        RegularizerKind regularizer = RegularizerKind.NONE;

        @Option(names = "--batch", description = "rows b, a multiple of the loss's samples per class (default: the paper's p x l for the loss)")
        Integer batch;

        @Option(names = "--dim", description = "columns d (default: ${DEFAULT-VALUE})")
        int dim = 128;

        @Option(names = "--warmup", description = "untimed repetitions, enough for the JIT to compile the host kernels (default: ${DEFAULT-VALUE})")
        int warmup = 5000;

        @Option(names = "--repeats", description = "timed repetitions (default: ${DEFAULT-VALUE})")
        int repeats = 5000;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() {
            if (dim < 2 || repeats < 1 || warmup < 0) {
                throw new IllegalArgumentException("need --dim >= 2, --repeats >= 1 and --warmup >= 0");
            }
            BatchLayout layout = batch != null ? layout(loss, batch) : loss.paperLayout();
            int b = layout.batchSize();
            int[] labels = layout.labels();
            LossBench.Timing t = LossBench.run(objective(loss, regularizer), labels, b, dim, warmup, repeats, 1);
            emit(spec, json, "loss", fields("loss", loss.cliName(), "regularizer", regularizer.armName(), "batch", b, "dim", dim, "repeats",
                    repeats, "medianMillis", t.medianMillis()), String.format(Locale.ROOT, "%s + %s forward+backward, %d x %d: median %.3f ms "
                    + "over %d runs", loss.cliName(), regularizer.armName(), b, dim, t.medianMillis(), repeats));
            return 0;
        }
    }

    @Command(name = "listeners", mixinStandardHelpOptions = true,
            description = {"What embreg's listeners (divergence guard, collapse monitor, progress, checkpoint) cost a step of the retrieval loop",
                "(small CNN, contrastive, 36 x 4 on 28 x 28): the step's median and the time spent inside the listeners."})
    static final class Listeners implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--blocks", description = "timed blocks of each (default: ${DEFAULT-VALUE})")
        int blocks = 10;

        @Option(names = "--steps", description = "steps per block (default: ${DEFAULT-VALUE})")
        int steps = 20;

        @Option(names = "--log-every", description = "the monitor's interval (default: ${DEFAULT-VALUE}, the retrieval runs')")
        int logEvery = 10;

        @Option(names = "--regularizer", converter = Names.Regularizer.class, completionCandidates = Names.RegularizerNames.class,
                description = "${COMPLETION-CANDIDATES}, beside the contrastive loss (default: none)")
        RegularizerKind regularizer = RegularizerKind.NONE;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        public Integer call() {
            if (blocks < 1 || steps < 1 || logEvery < 1) {
                throw new IllegalArgumentException("need --blocks >= 1, --steps >= 1 and --log-every >= 1");
            }
            ListenerBench.Timing t = ListenerBench.run(blocks, steps, logEvery, regularizer, 1, EigenSolvers.fastest());
            emit(spec, json, "listeners", fields("regularizer", regularizer.armName(), "blocks", blocks, "steps", steps, "logEvery", logEvery,
                    "stepMillis", t.stepMillis(), "listenerMillis", t.listenerMillis(), "overhead", t.overhead()), String.format(Locale.ROOT,
                    "retrieval step (contrastive + %s) %.2f ms, of which the listeners %.3f ms: overhead %.2f%% (medians of %d blocks of %d "
                    + "steps, monitor every %d)", regularizer.armName(), t.stepMillis(), t.listenerMillis(), 100 * t.overhead(), blocks, steps,
                    logEvery));
            return 0;
        }
    }

    @Command(name = "regularizers", mixinStandardHelpOptions = true,
            description = {"VICReg's variance + covariance terms against SVMax (bounded and vanilla), forward plus backward on two views of",
                "b x d random expander outputs, timed in interleaved rounds: the median and quartiles of each, and SVMax over VICReg."})
    static final class Regularizers implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--batch", description = "rows b of each view (default: ${DEFAULT-VALUE}, the quick preset's)")
        int batch = 128;

        @Option(names = "--dims", split = ",", description = "expander output sizes d (default: 512,2048,8192: the quick preset's to the official)")
        java.util.List<Integer> dims = java.util.List.of(512, 2048, 8192);

        @Option(names = "--warmup", description = "untimed rounds (default: ${DEFAULT-VALUE})")
        int warmup = 5;

        @Option(names = "--rounds", description = "timed rounds (default: ${DEFAULT-VALUE})")
        int rounds = 21;

        @Option(names = "--json", description = "print one JSON object (one entry per size)")
        boolean json;

        @Override
        public Integer call() {
            if (batch < 2 || rounds < 1 || warmup < 0 || dims.isEmpty() || dims.stream().anyMatch(d -> d < 2)) {
                throw new IllegalArgumentException("need --batch >= 2, --rounds >= 1, --warmup >= 0 and every --dims >= 2; got " + batch + ", "
                        + rounds + ", " + warmup + ", " + dims);
            }
            var candidates = org.embreg.experiments.ssl.LossTimes.regularizers(EigenSolvers.fastest());
            java.util.List<Map<String, Object>> sizes = new java.util.ArrayList<>();
            StringBuilder all = new StringBuilder();
            for (int d : dims) {
                var t = org.embreg.experiments.ssl.LossTimes.time(candidates, batch, d, warmup, rounds);
                Map<String, Object> m = new LinkedHashMap<>(fields("batch", batch, "dim", d, "rounds", rounds));
                StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "two views of %d x %d, median [quartiles] of %d rounds:", batch,
                        d, rounds));
                double vicreg = Double.NaN;
                for (var e : t.entrySet()) {
                    String name = e.getKey().replace("regularizer: ", "");
                    m.put(name, fields("medianMillis", e.getValue().medianMillis(), "lowerQuartileMillis", e.getValue().lowerQuartileMillis(),
                            "upperQuartileMillis", e.getValue().upperQuartileMillis()));
                    if (Double.isNaN(vicreg)) {
                        vicreg = e.getValue().medianMillis();
                    }
                    text.append(String.format(Locale.ROOT, "%n  %-30s %9.2f ms [%.2f, %.2f]  x%.2f of vicreg", name, e.getValue().medianMillis(),
                            e.getValue().lowerQuartileMillis(), e.getValue().upperQuartileMillis(), e.getValue().medianMillis() / vicreg));
                }
                sizes.add(m);
                all.append(all.length() == 0 ? "" : "\n").append(text);
            }
            emit(spec, json, "regularizers", fields("sizes", sizes), all.toString());
            return 0;
        }
    }
}
