package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.embreg.data.Matrix;
import org.embreg.linalg.EigenSolvers;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.BatchSpectrumSource;
import org.embreg.loss.CountValue;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.spectrum.Spectrum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches an output of the network for collapse while it trains, as a DJL {@link
 * ai.djl.training.listener.TrainingListener}: every N steps it measures the chosen output (the
 * embedding by default) with {@link CollapseMeasures} and records the loss's terms. When a measure
 * crosses its threshold ({@link CollapseThresholds}) it logs one clear warning per measure, naming
 * the measure, the value and the threshold, and, when asked, stops training with a {@link
 * CollapseStopException}.
 *
 * <p>When the loss is an SVMax loss (or a sum holding one) that already computed the spectrum of
 * this batch's normalized embedding, the monitor reuses it, unless some of its singular values lie
 * below what a Gram matrix resolves ({@link Spectrum#resolvedByGram}); then, as for any other
 * loss, the output is copied to the host and its spectrum computed there by {@link Spectrum#of}
 * (about a millisecond for 144 x 128), so both give the same values.
 */
public final class CollapseMonitor extends TrainingListenerAdapter implements Resumable<CollapseMonitor.State> {
    /**
     * @param batches the steps seen so far
     * @param records the measurements
     * @param warnings the warnings given (each measure once)
     */
    public record State(int batches, List<MonitorRecord> records, List<CollapseWarning> warnings) {
        public State {
            records = List.copyOf(records);
            warnings = List.copyOf(warnings);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CollapseMonitor.class);
    private static final List<String> HEADER = List.of("iteration", "rows", "dim", "meanSingularValue", "lowerBound", "upperBound",
            "bandPosition", "effectiveRank", "normalizedRowStd", "healthyRowStd", "collapsedDimensions");

    private final int every;
    private final int iterations;
    private final OutputSelector output;
    private final CollapseThresholds thresholds;
    private final boolean stopOnCollapse;
    private final boolean logWarnings;
    private final Path csv;
    private final SymmetricEigenSolver solver;
    private final List<MonitorRecord> records = new ArrayList<>();
    private final List<CollapseWarning> warnings = new ArrayList<>();
    private final Set<CollapseMeasure> warned = EnumSet.noneOf(CollapseMeasure.class);
    private TermTable table = new TermTable(HEADER);
    private int batches;

    private CollapseMonitor(Builder b) {
        this.every = b.every;
        this.iterations = b.iterations;
        this.output = b.output;
        this.thresholds = b.thresholds;
        this.stopOnCollapse = b.stopOnCollapse;
        this.logWarnings = b.logWarnings;
        this.csv = b.csv;
        this.solver = b.solver != null ? b.solver : EigenSolvers.fastest();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The measurements so far, in order. */
    public List<MonitorRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** The warnings so far: at most one per measure. */
    public List<CollapseWarning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** What it watches. */
    public OutputSelector output() {
        return output;
    }

    public CollapseThresholds thresholds() {
        return thresholds;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        output.validate(trainer.getModel().getBlock());
        reset();
    }

    private void reset() {
        batches = 0;
        records.clear();
        warnings.clear();
        warned.clear();
        table = new TermTable(HEADER);
    }

    @Override
    public State snapshot() {
        return new State(batches, records, warnings);
    }

    /** Continues from a checkpoint: its measurements, and its warnings not given again. */
    @Override
    public void restore(State state) {
        reset();
        batches = state.batches();
        for (MonitorRecord r : state.records()) {
            add(r);
        }
        for (CollapseWarning w : state.warnings()) {
            warnings.add(w);
            warned.add(w.measure());
        }
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    private void add(MonitorRecord r) {
        CollapseMeasures m = r.measures();
        records.add(r);
        table.add(List.of(r.iteration(), m.rows(), m.dim(), m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.bandPosition(),
                m.effectiveRank(), m.normalizedRowStd(), m.healthyRowStd(), m.collapsedDimensions()), r.terms(), r.counts());
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int it = batches++;
        if (it % every != 0 && it != iterations - 1) {
            return;
        }
        NDArray out = output.select(trainer, batchData);
        Matrix host = toMatrix(out);
        if (host.rows() < 2) {
            return;
        }
        // the loss's spectrum, when it has one for this output and nothing below what a Gram matrix resolves
        Optional<double[]> known = (trainer.getLoss() instanceof BatchSpectrumSource source ? source.normalizedSingularValues(out)
                : Optional.<double[]>empty()).filter(Spectrum::resolvedByGram);
        Spectrum spectrum = known.map(s -> Spectrum.fromSingularValues(s, host.rows(), host.cols()))
                .orElseGet(() -> Spectrum.of(host.normalizedRows(), solver));
        CollapseMeasures m = CollapseMeasures.of(host, spectrum, thresholds.dimensionThreshold());
        List<TermValue> terms = StepData.terms(trainer, batchData);
        List<CountValue> counts = trainer.getLoss() instanceof EmbeddingLoss loss ? loss.lastCounts() : List.of();
        add(new MonitorRecord(it, m, terms, counts));
        check(it, m);
        if (csv != null) {
            table.writeNowAndThen(csv);
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        if (csv != null) {
            table.writeUnchecked(csv);
        }
    }

    private void check(int it, CollapseMeasures m) {
        for (CollapseMeasure measure : CollapseMeasure.values()) {
            double value = measure.value(m);
            double threshold = thresholds.of(measure);
            if (Double.isNaN(value) || !measure.crosses(value, threshold)) {
                continue;
            }
            CollapseWarning w = new CollapseWarning(measure, it, value, threshold, output.describe());
            if (warned.add(measure)) {
                warnings.add(w);
                if (logWarnings) {
                    LOG.warn(w.message());
                }
            }
            if (stopOnCollapse) {
                throw new CollapseStopException(w);
            }
        }
    }

    /** The output on the host as b x (everything else), float32. */
    static Matrix toMatrix(NDArray out) {
        long b = out.getShape().get(0);
        long c = out.getShape().size() / Math.max(1, b);
        NDArray f = out.stopGradient();
        float[] v = f.getDataType() == DataType.FLOAT32 ? f.toFloatArray() : f.toType(DataType.FLOAT32, false).toFloatArray();
        return new Matrix(v, Math.toIntExact(b), Math.toIntExact(c));
    }

    /** Builds a {@link CollapseMonitor}: every 10 steps, on the embedding, default thresholds, warnings only. */
    public static final class Builder {
        private int every = 10;
        private int iterations = -1;
        private OutputSelector output = OutputSelector.prediction(0);
        private CollapseThresholds thresholds = CollapseThresholds.DEFAULT;
        private boolean stopOnCollapse;
        private boolean logWarnings = true;
        private Path csv;
        private SymmetricEigenSolver solver;

        /** Measure every this many steps (default 10). */
        public Builder optEvery(int every) {
            this.every = every;
            return this;
        }

        /** The run's length, so that its last step is measured too (default: unknown). */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** What to watch (default: the first prediction, the embedding). */
        public Builder optOutput(OutputSelector output) {
            this.output = java.util.Objects.requireNonNull(output, "output");
            return this;
        }

        public Builder optThresholds(CollapseThresholds thresholds) {
            this.thresholds = java.util.Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /** Stop training (throw {@link CollapseStopException}) when a measure crosses its threshold. */
        public Builder optStopOnCollapse(boolean stop) {
            this.stopOnCollapse = stop;
            return this;
        }

        /**
         * Whether a warning is also logged when it is given (default true); either way it is kept in
         * {@link CollapseMonitor#warnings()}. Monitors of hidden layers, whose thresholds were set for
         * embeddings, are quieter without.
         */
        public Builder optLogWarnings(boolean log) {
            this.logWarnings = log;
            return this;
        }

        /** Also write the measurements to this CSV file (rewritten atomically as they come). */
        public Builder optCsv(Path csv) {
            this.csv = csv;
            return this;
        }

        /** The host eigensolver (default: {@link EigenSolvers#fastest()}). */
        public Builder optEigenSolver(SymmetricEigenSolver solver) {
            this.solver = java.util.Objects.requireNonNull(solver, "solver");
            return this;
        }

        public CollapseMonitor build() {
            if (every < 1) {
                throw new IllegalArgumentException("the monitor's interval must be >= 1, got " + every);
            }
            return new CollapseMonitor(this);
        }
    }
}
