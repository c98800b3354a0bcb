package org.embreg.experiments.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.embreg.EmbregException;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.nn.CapturingBlock;
import org.embreg.nn.LayerCaptures;
import org.embreg.regularizer.LayerRegularizer;
import org.embreg.train.CollapseMonitor;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.train.MonitorRecord;
import org.embreg.train.OutputSelector;

/**
 * A network as an experiment trains it when its layers are regularized or watched
 * ({@link LayerRegularization}): wrapped in a {@link CapturingBlock} at {@link CapturingBlock#layers}'
 * points, with the sink the layers' regularizer and monitors read; otherwise the network as it is.
 *
 * @param block the block to train (the wrapper, or the network)
 * @param captures the sink, or null when nothing is captured
 * @param points the capture points (empty when nothing is captured)
 */
public record CapturedNetwork(Block block, LayerCaptures captures, List<String> points) {
    public CapturedNetwork {
        points = List.copyOf(points);
    }

    /**
     * @param network the network
     * @param layers what is done with its layers
     * @param input its input shape (batch axis included)
     * @param what the network's name in an error
     */
    public static CapturedNetwork of(Block network, LayerRegularization layers, Shape input, String what) {
        if (!layers.watch()) {
            return new CapturedNetwork(network, null, List.of());
        }
        if (!(network instanceof SequentialBlock sequential)) {
            throw new EmbregException("capturing every layer needs a sequential network; " + what + " is a " + network.getClass().getSimpleName());
        }
        LayerCaptures captures = new LayerCaptures();
        List<String> points = CapturingBlock.layers(sequential, input);
        return new CapturedNetwork(new CapturingBlock(sequential, points, captures), captures, points);
    }

    /** The layers' regularizer (one per layer, seeded where it samples), when they are regularized. */
    public Optional<LayerRegularizer> regularizer(LayerRegularization layers, long seed, SymmetricEigenSolver solver) {
        if (!layers.active()) {
            return Optional.empty();
        }
        // each layer's regularizer its own seed, so that those that sample draw different streams
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(seed);
        return Optional.of(LayerRegularizer.builder(captures, points, () -> layers.regularizer().create(next.getAndIncrement(), solver)).build());
    }

    /**
     * A collapse monitor per captured layer, in network order; its warnings are kept, not logged (the
     * thresholds were set for embeddings, and hidden ReLU layers cross them from the first step).
     *
     * @param csv each layer's CSV file by point, or null for none
     */
    public Map<String, CollapseMonitor> monitors(int every, int iterations, SymmetricEigenSolver solver, Function<String, Path> csv) {
        Map<String, CollapseMonitor> out = new LinkedHashMap<>();
        for (String point : points) {
            CollapseMonitor.Builder b = CollapseMonitor.builder().optEvery(every).optIterations(iterations).optEigenSolver(solver)
                    .optOutput(OutputSelector.captured(captures, point)).optLogWarnings(false);
            if (csv != null) {
                b.optCsv(csv.apply(point));
            }
            out.put(point, b.build());
        }
        return out;
    }

    /** Each monitor's records, by point. */
    public static Map<String, List<MonitorRecord>> logs(Map<String, CollapseMonitor> monitors) {
        Map<String, List<MonitorRecord>> out = new LinkedHashMap<>();
        monitors.forEach((point, monitor) -> out.put(point, monitor.records()));
        return out;
    }

    /** Each layer's measures at its last monitored step, by point (layers with no record left out). */
    public static Map<String, CollapseMeasures> lastMeasures(Map<String, List<MonitorRecord>> logs) {
        Map<String, CollapseMeasures> out = new LinkedHashMap<>();
        logs.forEach((point, log) -> {
            if (!log.isEmpty()) {
                out.put(point, log.get(log.size() - 1).measures());
            }
        });
        return out;
    }

    /** A point as part of a file name. */
    public static String fileName(String point) {
        return point.replace('/', '-');
    }
}
