package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.embreg.testing.Batches;
import org.junit.jupiter.api.Test;

/** Batches with nothing to learn from give a loss of 0 and a zero gradient, never NaN. */
class NoValidPairTest {
    @Test
    void distinctLabelsOrOneClassGiveZeroAndZeroGradient() {
        List<EmbeddingLoss> losses = List.of(TripletLoss.builder().build(),
                TripletLoss.builder().optMining(TripletLoss.Mining.SEMI_HARD).build(), NPairLoss.builder().build(), AngularLoss.builder().build(),
                LiftedStructuredLoss.builder().build(), ContrastiveLoss.builder().build());
        int[][] labelings = {{0, 1, 2, 3, 4, 5}, {7, 7, 7, 7, 7, 7}};
        for (EmbeddingLoss loss : losses) {
            for (int[] y : labelings) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray e = m.create(Batches.gaussian(6, 4, 1));
                    e.setRequiresGradient(true);
                    double value;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray v = loss.evaluate(new NDList(m.create(y)), new NDList(e));
                        value = v.getDouble();
                        gc.backward(v);
                    }
                    String what = loss.getName() + " on labels " + java.util.Arrays.toString(y);
                    boolean contrastiveOneClass = loss instanceof ContrastiveLoss && y[0] == y[1];
                    boolean npairOneClass = loss instanceof NPairLoss && y[0] == y[1];
                    if (!contrastiveOneClass) {
                        assertEquals(0.0, value, 1e-12, what);
                    }
                    for (double g : e.getGradient().toDoubleArray()) {
                        if (contrastiveOneClass || npairOneClass) {
                            assertEquals(true, Double.isFinite(g), what);
                        } else {
                            assertEquals(0.0, g, 1e-12, what);
                        }
                    }
                }
            }
        }
    }
}
