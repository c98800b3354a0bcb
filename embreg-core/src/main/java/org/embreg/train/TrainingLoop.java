package org.embreg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embreg.NonFiniteException;

/**
 * embreg's training loop: a fixed number of steps of any {@link Step} (labelled batches, two views,
 * a generator and its discriminator), each followed, as in DJL's {@code EasyTrain}, by the trainer's
 * listeners ({@link ai.djl.training.listener.TrainingListener#onTrainingBatch}) and then the
 * optimizer's update. So the listeners a DJL user adds to a {@code DefaultTrainingConfig} (progress,
 * loss terms, {@link CollapseMonitor}, {@link DivergenceGuard}, {@link CheckpointListener}) see
 * embreg's runs exactly as they see {@code EasyTrain.fit}.
 *
 * <p>A run ends early, with its reason in the {@link Outcome}, when it diverges (a loss input, term
 * or gradient became non-finite; the update of that step is not applied) or when a monitor stops
 * it. Each step's arrays live on a manager closed after the update.
 */
public final class TrainingLoop {
    private TrainingLoop() {}

    /** One training step's forward and backward passes. */
    @FunctionalInterface
    public interface Step {
        /**
         * Runs the forward and backward passes of one iteration on arrays of {@code scope} (closed
         * by the loop after the update) and returns what the listeners see.
         *
         * @param iteration 0-based
         * @param scope the step's manager
         */
        BatchData forwardBackward(int iteration, NDManager scope);
    }

    /**
     * How a run ended.
     *
     * @param iterations updates applied
     * @param divergence where it diverged, or null
     * @param stoppedBy the warning a monitor stopped it on, or null
     */
    public record Outcome(int iterations, Divergence divergence, CollapseWarning stoppedBy) {
        public boolean diverged() {
            return divergence != null;
        }

        public boolean completed(int planned) {
            return iterations == planned && divergence == null && stoppedBy == null;
        }
    }

    /**
     * Runs {@code iterations} steps (fewer if it diverges or is stopped).
     *
     * @param trainer the trainer whose listeners are notified and whose optimizer steps
     * @param iterations how many
     * @param step the forward and backward passes
     */
    public static Outcome run(Trainer trainer, int iterations, Step step) {
        return run(trainer, 0, iterations, step);
    }

    /**
     * Runs iterations {@code first} to {@code first + count - 1} (a run continued in parts, as a
     * benchmark or a resumed run does), so that iteration numbers go on where the last part ended.
     * After the last update the parameters are checked once: an update that made them non-finite
     * ends the run as a divergence too.
     *
     * @return the outcome; its iterations count the updates applied in this part
     */
    public static Outcome run(Trainer trainer, int first, int count, Step step) {
        return run(trainer, first, count, step, updates -> {});
    }

    /** Called between two steps, after an update: everything a checkpoint needs is then consistent. */
    @FunctionalInterface
    public interface AfterUpdate {
        /** @param updates the updates applied since the run began (all parts) */
        void after(int updates);
    }

    /**
     * {@link #run(Trainer, int, int, Step)}, calling {@code afterUpdate} after each update, when the
     * parameters, the optimizer and every listener have seen the same steps: where a resumable run
     * takes its checkpoints.
     */
    public static Outcome run(Trainer trainer, int first, int count, Step step, AfterUpdate afterUpdate) {
        for (int k = 0; k < count; k++) {
            int it = first + k;
            try (NDManager scope = trainer.getManager().newSubManager()) {
                BatchData data = step.forwardBackward(it, scope);
                trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, data));
                trainer.step();
            } catch (NonFiniteException e) {
                if (e.source() == NonFiniteException.Source.INPUT && k > 0 && !CheckpointListener.parametersFinite(trainer.getModel().getBlock())) {
                    return new Outcome(k, new Divergence(it - 1, NonFiniteException.Source.PARAMETER,
                            "the parameters, made non-finite by the update of iteration " + (it - 1)), null);
                }
                return new Outcome(k, new Divergence(it, e.source(), e.where()), null);
            } catch (DivergedException e) {
                return new Outcome(k, e.divergence(), null);
            } catch (CollapseStopException e) {
                return new Outcome(k, null, e.warning());
            }
            afterUpdate.after(it + 1);
        }
        if (count > 0 && !CheckpointListener.parametersFinite(trainer.getModel().getBlock())) {
            int last = first + count - 1;
            return new Outcome(count, new Divergence(last, NonFiniteException.Source.PARAMETER,
                    "the parameters, made non-finite by the update of iteration " + last), null);
        }
        return new Outcome(count, null, null);
    }

    /** Measures a run after a segment: the segment's index (0: before training) and the updates applied so far. */
    @FunctionalInterface
    public interface Measure<P> {
        P after(int segment, int updates);
    }

    /**
     * A run measured as it goes.
     *
     * @param points one measurement per segment reached, the first before training
     * @param outcome how the last segment ended (a completed run of 0 updates when there was none)
     * @param updates updates applied in all
     */
    public record Measured<P>(List<P> points, Outcome outcome, int updates) {}

    /**
     * Runs a trainer in segments that end at the given update counts, measuring before the first
     * update and after each segment: an evaluation every epoch, samples every N steps. The run stops
     * at the first segment that does not complete (divergence or a monitor's stop); that segment is
     * measured only if it applied an update and left the parameters finite, so every point is of a
     * real state, labelled with the updates it saw.
     *
     * @param ends increasing update counts, the last one the run's length
     */
    public static <P> Measured<P> runMeasured(Trainer trainer, List<Integer> ends, Step step, Measure<P> measure) {
        List<P> points = new ArrayList<>();
        points.add(measure.after(0, 0));
        Outcome outcome = new Outcome(0, null, null);
        int done = 0;
        for (int end : ends) {
            if (end <= done) {
                continue;
            }
            outcome = run(trainer, done, end - done, step);
            done += outcome.iterations();
            boolean parametersBroken = outcome.diverged() && outcome.divergence().source() == NonFiniteException.Source.PARAMETER;
            if (outcome.iterations() > 0 && !parametersBroken) {
                points.add(measure.after(points.size(), done));
            }
            if (!outcome.completed(end - (done - outcome.iterations()))) {
                break;
            }
        }
        return new Measured<>(List.copyOf(points), outcome, done);
    }

    /**
     * The step of one network trained on batches from a source, as {@code EasyTrain} trains a
     * batch: forward, the trainer's loss on the labels and the output, backward.
     *
     * @param trainer the trainer of the network
     * @param source the batches
     * @param iterations the run's length (the batches' progress total)
     */
    public static Step supervised(Trainer trainer, BatchSource source, int iterations) {
        return (it, scope) -> {
            BatchSource.StepBatch batch = source.next(scope);
            NDList predictions;
            try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                predictions = trainer.forward(batch.data());
                gc.backward(trainer.getLoss().evaluate(batch.labels(), predictions));
            }
            return batchData(scope, batch.data(), batch.labels(), predictions, it, iterations);
        };
    }

    /**
     * The batch data of one step, as {@code EasyTrain} gives it to the listeners.
     *
     * @param scope the step's manager (the batch's arrays live there)
     * @param data the network's input
     * @param labels the labels (may be empty)
     * @param predictions the network's output
     * @param iteration the 0-based iteration (the batch's progress)
     * @param iterations the run's length
     */
    public static BatchData batchData(NDManager scope, NDList data, NDList labels, NDList predictions, int iteration, int iterations) {
        long size = data.isEmpty() ? 0 : data.head().getShape().get(0);
        Batch batch = new Batch(scope, data, labels, (int) size, null, null, iteration, iterations);
        return new BatchData(batch, Map.of(predictions.head().getDevice(), labels), Map.of(predictions.head().getDevice(), predictions));
    }
}
