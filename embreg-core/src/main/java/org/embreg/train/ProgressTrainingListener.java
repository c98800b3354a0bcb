package org.embreg.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.Locale;

/** Shows training progress (a bar or log lines) with the loss every N steps. */
public final class ProgressTrainingListener extends TrainingListenerAdapter implements Resumable<ProgressTrainingListener.State> {
    /** @param batches the steps shown so far */
    public record State(long batches) {}

    private final ProgressReporter reporter;
    private final String task;
    private final long total;
    private final int every;
    private long batches;

    /**
     * @param reporter where progress goes
     * @param task the task's name
     * @param total the number of steps
     * @param every show the loss every this many steps
     */
    public ProgressTrainingListener(ProgressReporter reporter, String task, long total, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1, got " + every);
        }
        this.reporter = reporter;
        this.task = task;
        this.total = total;
        this.every = every;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        batches = 0;
        reporter.start(task, total);
    }

    /** Continues the bar where the checkpoint's run was. */
    @Override
    public void restore(State state) {
        batches = state.batches();
        reporter.step(batches, "resumed");
    }

    @Override
    public State snapshot() {
        return new State(batches);
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long it = batches++;
        if (it % every == 0 || batches == total) {
            double loss = StepData.lossValue(trainer, batchData).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            reporter.step(batches, String.format(Locale.ROOT, "loss %.4f", loss));
        }
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        reporter.step(batches, batches < total ? "stopped" : "done");
        reporter.finish();
    }
}
