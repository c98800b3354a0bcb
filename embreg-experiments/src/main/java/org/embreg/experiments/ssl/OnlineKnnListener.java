package org.embreg.experiments.ssl;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import ai.djl.nn.Block;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.metric.WeightedKnn;
import org.embreg.train.Resumable;

/**
 * Online k-NN during pretraining: every N steps the encoder (in inference mode) represents a fixed
 * bank of training images and a fixed held-out set of test images, and the weighted k-NN top-1 of
 * the held-out set against the bank is recorded.
 */
final class OnlineKnnListener extends TrainingListenerAdapter implements Resumable<OnlineKnnListener.State> {
    /** One measurement: after {@code step} updates (the listener runs before the update of its batch). */
    record Point(int step, double knnTop1) {}

    /**
     * @param seen the steps seen so far
     * @param points the measurements
     */
    record State(int seen, List<Point> points) {
        State {
            points = List.copyOf(points);
        }
    }

    private final ImageSet bank;
    private final ImageSet heldOut;
    private final int every;
    private final Function<Block, Block> encoderOf;
    private final List<Point> points = new ArrayList<>();
    private int seen;

    /**
     * @param bank training images whose labels vote
     * @param heldOut test images classified
     * @param every measure every this many steps
     * @param encoderOf the encoder inside the trainer's network
     */
    OnlineKnnListener(ImageSet bank, ImageSet heldOut, int every, Function<Block, Block> encoderOf) {
        this.bank = bank;
        this.heldOut = heldOut;
        this.every = every;
        this.encoderOf = encoderOf;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        if (seen % every == 0) {
            points.add(new Point(seen, measure(trainer)));
        }
        seen++;
    }

    @Override
    public State snapshot() {
        return new State(seen, points);
    }

    @Override
    public void restore(State state) {
        seen = state.seen();
        points.clear();
        points.addAll(state.points());
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    double measure(Trainer trainer) {
        Block encoder = encoderOf.apply(trainer.getModel().getBlock());
        Matrix b = Representations.of(encoder, bank, trainer.getManager());
        Matrix q = Representations.of(encoder, heldOut, trainer.getManager());
        return WeightedKnn.top1(trainer.getManager(), b, bank.labels(), q, heldOut.labels());
    }

    List<Point> points() {
        return List.copyOf(points);
    }
}
