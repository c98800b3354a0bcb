package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener.BatchData;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.embreg.EmbregException;

/** Which output of a training step the {@link CollapseMonitor} watches, as a b x c matrix. */
public interface OutputSelector {
    /** The watched output of the batch; it lives on the batch's manager. */
    NDArray select(Trainer trainer, BatchData data);

    /** Checks, before training, that the network has this output; throws with a message if not. */
    default void validate(Block network) {}

    /** A short name for CSV files and warnings. */
    String describe();

    /** The network's prediction number {@code index} (0: the embedding). */
    static OutputSelector prediction(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("prediction index must be >= 0, got " + index);
        }
        return new OutputSelector() {
            @Override
            public NDArray select(Trainer trainer, BatchData data) {
                NDList p = StepData.predictions(data);
                if (p.size() <= index) {
                    throw new EmbregException("the collapse monitor watches prediction " + index + " but the network gives " + p.size());
                }
                return p.get(index);
            }

            @Override
            public String describe() {
                return "predictions[" + index + "]";
            }
        };
    }

    /**
     * A layer captured by an {@link org.embreg.nn.CapturingBlock} in the step's training forward pass,
     * as a b x c matrix ({@link org.embreg.nn.LayerCaptures#matrix}); the first run where the step
     * ran the layer more than once (two views). Nothing is run again.
     */
    static OutputSelector captured(org.embreg.nn.LayerCaptures captures, String point) {
        return new OutputSelector() {
            @Override
            public NDArray select(Trainer trainer, BatchData data) {
                return captures.matrix(captures.latest(point).get(0));
            }

            @Override
            public String describe() {
                return point;
            }
        };
    }

    /**
     * The output of one child of a {@link SequentialBlock} network, by the child's name (DJL names
     * them "01Conv2d", "02LambdaBlock", ...): the children up to it are run again on the batch's
     * input in inference mode, and the output is flattened to b x (everything else), so a
     * convolutional map of c channels of h x w gives c h w columns.
     */
    static OutputSelector blockOutput(String childName) {
        return new OutputSelector() {
            @Override
            public NDArray select(Trainer trainer, BatchData data) {
                SequentialBlock network = sequential(trainer.getModel().getBlock());
                NDList x = data.getBatch().getData();
                ParameterStore store = new ParameterStore(x.head().getManager(), false);
                for (Pair<String, Block> child : network.getChildren()) {
                    x = child.getValue().forward(store, x, false);
                    if (child.getKey().equals(childName)) {
                        NDArray out = x.head();
                        return out.reshape(out.getShape().get(0), -1);
                    }
                }
                throw unknown(network);
            }

            @Override
            public void validate(Block block) {
                SequentialBlock network = sequential(block);
                if (network.getChildren().stream().noneMatch(c -> c.getKey().equals(childName))) {
                    throw unknown(network);
                }
            }

            private SequentialBlock sequential(Block block) {
                if (block instanceof SequentialBlock s) {
                    return s;
                }
                if (block instanceof org.embreg.nn.CapturingBlock c) {
                    return c.network();
                }
                throw new EmbregException("monitoring block " + childName + " needs a sequential network; this one is a "
                        + block.getClass().getSimpleName());
            }

            private EmbregException unknown(SequentialBlock network) {
                List<String> names = new ArrayList<>();
                network.getChildren().forEach(c -> names.add(c.getKey()));
                return new EmbregException("the network has no block named '" + childName + "'; its blocks are " + String.join(", ", names));
            }

            @Override
            public String describe() {
                return childName;
            }
        };
    }
}
