package org.embreg.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.nio.file.Path;
import java.util.List;
import org.embreg.loss.EmbeddingLoss;

/**
 * Writes every term and count of the loss to a CSV file every N steps: one row per logged step,
 * a column per term (the parts of a composite loss separately), read from the engine once per
 * logged step. The file is rewritten atomically every ten logged steps and at the end.
 */
public final class TermLogListener extends TrainingListenerAdapter {
    private final Path csv;
    private final int every;
    private TermTable table;
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
        table = new TermTable(List.of("iteration"));
        batches = 0;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int it = batches++;
        if (it % every != 0) {
            return;
        }
        table.add(List.of(it), StepData.terms(trainer, batchData),
                trainer.getLoss() instanceof EmbeddingLoss loss ? loss.lastCounts() : List.of());
        table.writeNowAndThen(csv);
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        table.writeUnchecked(csv);
    }
}
