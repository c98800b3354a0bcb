package org.embreg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener.BatchData;
import java.util.ArrayList;
import java.util.List;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;

/** What the listeners read from a training batch: its predictions, labels and the loss's terms. */
final class StepData {
    private StepData() {}

    /** The predictions of the batch (the first device's). */
    static NDList predictions(BatchData data) {
        return first(data.getPredictions().values(), "predictions");
    }

    /** The labels of the batch (the first device's), or an empty list. */
    static NDList labels(BatchData data) {
        return data.getLabels().isEmpty() ? new NDList() : first(data.getLabels().values(), "labels");
    }

    private static NDList first(java.util.Collection<NDList> lists, String what) {
        if (lists.isEmpty()) {
            throw new IllegalStateException("the training batch carries no " + what);
        }
        return lists.iterator().next();
    }

    /**
     * The loss value of the batch: for an {@link EmbeddingLoss} the result it already computed for
     * these predictions (no second computation), for another DJL loss a fresh evaluation.
     */
    static NDArray lossValue(Trainer trainer, BatchData data) {
        return trainer.getLoss().evaluate(labels(data), predictions(data));
    }

    /**
     * The loss terms of the batch: an {@link EmbeddingLoss}'s reported terms (read in one
     * transfer), or for another DJL loss its value as "total".
     */
    static List<TermValue> terms(Trainer trainer, BatchData data) {
        if (trainer.getLoss() instanceof EmbeddingLoss loss) {
            lossValue(trainer, data);
            return loss.lastTerms();
        }
        List<TermValue> out = new ArrayList<>();
        out.add(new TermValue("total", lossValue(trainer, data).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble(),
                TermValue.Aggregate.BATCH));
        return out;
    }
}
