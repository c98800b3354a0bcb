package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.embreg.data.AtomicFiles;
import org.embreg.loss.Scalars;

/**
 * Keeps the last good parameters of the model: every N steps and at the end of training, when
 * every parameter is finite, they are serialized in DJL's format ({@code Block.saveParameters}),
 * kept in memory and, given a file, written to it atomically. Parameters that are not finite never
 * replace a good checkpoint.
 *
 * <p>A snapshot taken at the k-th training batch holds the parameters after k updates (the listener
 * runs before the optimizer's step), so the first one holds the initialization. Place it after the
 * {@link DivergenceGuard}, so that a step the guard stops is not counted.
 */
public final class CheckpointListener extends TrainingListenerAdapter implements Resumable<CheckpointListener.State> {
    /** @param batches the steps seen so far */
    public record State(int batches) {}

    private final Path file;
    private final int every;
    private int batches;
    private byte[] lastGood;
    private int lastGoodUpdates = -1;

    /**
     * @param file where to write the checkpoint, or null to keep it in memory only
     * @param every take one every this many steps (and at the end)
     */
    public CheckpointListener(Path file, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
        }
        this.file = file;
        this.every = every;
    }

    @Override
    public void onTrainingBegin(Trainer trainer) {
        batches = 0;
    }

    @Override
    public State snapshot() {
        return new State(batches);
    }

    /**
     * Continues counting from the checkpoint's run. The model's parameters are restored with the
     * model; this listener holds no last good parameters in memory ({@link #lastGood} is empty)
     * until it takes its next checkpoint, while its file keeps the last ones it wrote.
     */
    @Override
    public void restore(State state) {
        batches = state.batches();
        lastGood = null;
        lastGoodUpdates = -1;
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (batches % every == 0) {
            save(trainer.getModel().getBlock(), batches);
        }
        batches++;
    }

    @Override
    public void onTrainingEnd(Trainer trainer) {
        save(trainer.getModel().getBlock(), batches);
    }

    /** The last good parameters (DJL's format), if any were taken. */
    public Optional<byte[]> lastGood() {
        return Optional.ofNullable(lastGood).map(byte[]::clone);
    }

    /** How many updates the last good parameters had seen, or -1. */
    public int lastGoodUpdates() {
        return lastGoodUpdates;
    }

    /** Takes a checkpoint now if the parameters are finite; returns whether it did. */
    public boolean save(Block block, int updates) {
        if (block.getParameters().isEmpty() || !parametersFinite(block)) {
            return false;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        lastGood = bytes.toByteArray();
        lastGoodUpdates = updates;
        if (file != null) {
            try {
                AtomicFiles.write(file, lastGood);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
            }
        }
        return true;
    }

    /** Whether every initialized parameter of the block is finite (one read from the engine). */
    public static boolean parametersFinite(Block block) {
        List<NDArray> sums = new ArrayList<>();
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().isInitialized()) {
                    sums.add(p.getValue().getArray().sum()); // NaN or infinite when any entry is
                }
            }
            for (double v : Scalars.read(sums)) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
            return true;
        } finally {
            for (NDArray s : sums) {
                s.close();
            }
        }
    }
}
