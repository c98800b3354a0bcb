package org.embreg.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embreg.loss.CountValue;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;

/**
 * Writes every term and count of the loss to a CSV file every N steps: one row per logged step,
 * a column per term (the parts of a composite loss separately), read from the engine once per
 * logged step. The file is rewritten atomically every ten logged steps and at the end.
 */
public final class TermLogListener extends TrainingListenerAdapter implements Resumable<TermLogListener.State> {
    /** One logged step. */
    public record Row(int iteration, List<TermValue> terms, List<CountValue> counts) {
        public Row {
            terms = List.copyOf(terms);
            counts = List.copyOf(counts);
        }
    }

    /**
     * @param batches the steps seen so far
     * @param rows the logged steps
     */
    public record State(int batches, List<Row> rows) {
        public State {
            rows = List.copyOf(rows);
        }
    }

    private final Path csv;
    private final int every;
    private TermTable table;
    private final List<Row> rows = new ArrayList<>();
    private int batches;

    /**
     * @param csv the file
     * @param every log every this many steps
     */
    public TermLogListener(Path csv, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("log interval must be >= 1, got " + every);
        }
        this.csv = java.util.Objects.requireNonNull(csv, "csv");
        this.every = every;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        reset();
    }

    private void reset() {
        table = new TermTable(List.of("iteration"));
        rows.clear();
        batches = 0;
    }

    @Override
    public State snapshot() {
        return new State(batches, rows);
    }

    @Override
    public void restore(State state) {
        reset();
        batches = state.batches();
        for (Row r : state.rows()) {
            add(r);
        }
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    private void add(Row row) {
        rows.add(row);
        table.add(List.of(row.iteration()), row.terms(), row.counts());
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int it = batches++;
        if (it % every != 0) {
            return;
        }
        add(new Row(it, StepData.terms(trainer, batchData), trainer.getLoss() instanceof EmbeddingLoss loss ? loss.lastCounts() : List.of()));
        table.writeNowAndThen(csv);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        table.writeUnchecked(csv);
    }
}
