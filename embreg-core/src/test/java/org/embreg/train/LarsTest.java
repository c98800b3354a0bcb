package org.embreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LARS against steps computed by hand (in double precision, below): a linear layer's 2 x 3 weight
 * gets weight decay and the trust ratio, its bias (1-D) neither; momentum carries to the second
 * step. The loss sum(W * C) + sum(b * c) makes the gradients exactly C and c.
 */
class LarsTest {
    private static final double LR = 0.5;
    private static final double MOMENTUM = 0.9;
    private static final double ETA = 0.02;
    private static final double WD = 0.1;

    @Test
    void twoStepsMatchTheHandComputation() {
        float[] w0 = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f};
        float[] b0 = {0.3f, -0.2f};
        float[][] cw = {{1f, 2f, -1f, 0.5f, 0f, 3f}, {-2f, 1f, 0.5f, 1f, -1f, 0.25f}};
        float[][] cb = {{0.4f, -1.2f}, {2f, 0.5f}};
        Lars lars = Lars.builder().setLearningRateTracker(Tracker.fixed((float) LR)).optMomentum((float) MOMENTUM).optEta((float) ETA)
                .optWeightDecay((float) WD).build();
        try (Model model = Model.newInstance("lars")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(lars))) {
                trainer.initialize(new Shape(1, 3));
                NDArray w = model.getBlock().getParameters().get("weight").getArray();
                NDArray b = model.getBlock().getParameters().get("bias").getArray();
                w.set(w0);
                b.set(b0);
                double[] ew = toDouble(w0);
                double[] eb = toDouble(b0);
                double[] muW = new double[6];
                double[] muB = new double[2];
                for (int step = 0; step < 2; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray c = scope.create(cw[step], new Shape(2, 3));
                        NDArray cbias = scope.create(cb[step], new Shape(2));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(w.mul(c).sum().add(b.mul(cbias).sum()));
                        }
                        trainer.step();
                    }
                    // the weight: d = C + wd * W, scaled by eta ||W|| / ||d||
                    double[] d = new double[6];
                    for (int i = 0; i < 6; i++) {
                        d[i] = cw[step][i] + WD * ew[i];
                    }
                    double ratio = ETA * norm(ew) / norm(d);
                    for (int i = 0; i < 6; i++) {
                        muW[i] = MOMENTUM * muW[i] + d[i] * ratio;
                        ew[i] -= LR * muW[i];
                    }
                    // the bias: the gradient alone
                    for (int i = 0; i < 2; i++) {
                        muB[i] = MOMENTUM * muB[i] + cb[step][i];
                        eb[i] -= LR * muB[i];
                    }
                    float[] gotW = w.toFloatArray();
                    float[] gotB = b.toFloatArray();
                    for (int i = 0; i < 6; i++) {
                        assertEquals(ew[i], gotW[i], 1e-5, "step " + step + " weight " + i);
                    }
                    for (int i = 0; i < 2; i++) {
                        assertEquals(eb[i], gotB[i], 1e-5, "step " + step + " bias " + i);
                    }
                    // the gradient was consumed
                    assertEquals(0f, w.getGradient().abs().sum().getFloat());
                }
            }
        }
    }

    /** Steps a fresh linear layer from weights (w, b) with gradients C = cw[k] for k in [from, to), and returns its weights then. */
    private static float[] steps(Lars lars, float[] w0, float[] b0, float[][] cw, int from, int to, NDList[] momentumOut, NDList momentumIn) {
        try (Model model = Model.newInstance("lars")) {
            model.setBlock(Linear.builder().setUnits(2).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(lars))) {
                trainer.initialize(new Shape(1, 3));
                NDArray w = model.getBlock().getParameters().get("weight").getArray();
                NDArray b = model.getBlock().getParameters().get("bias").getArray();
                w.set(w0);
                b.set(b0);
                if (momentumIn != null) {
                    lars.restoreMomentum(model.getBlock(), momentumIn);
                }
                for (int step = from; step < to; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray c = scope.create(cw[step], new Shape(2, 3));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(w.mul(c).sum().add(b.sum()));
                        }
                        trainer.step();
                    }
                }
                if (momentumOut != null) {
                    // decoded on the test's manager, as a checkpoint read back would be
                    momentumOut[0] = NDList.decode(MANAGER, lars.momentum(model.getBlock(), trainer.getManager()).encode());
                }
                float[] out = new float[8];
                System.arraycopy(w.toFloatArray(), 0, out, 0, 6);
                System.arraycopy(b.toFloatArray(), 0, out, 6, 2);
                return out;
            }
        }
    }

    private static final NDManager MANAGER = NDManager.newBaseManager();

    private static Lars scheduled(int beginUpdate) {
        // a rate that changes every update, so that the update count must carry over too
        return Lars.builder().setLearningRateTracker(new WarmupCosineTracker(0.5, 0, 3, 0.001)).optEta(0.02f).optWeightDecay(0.1f)
                .optBeginNumUpdate(beginUpdate).build();
    }

    @Test
    void momentumAndUpdateCountCarryOverToANewOptimizerExactly() {
        float[] w0 = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f};
        float[] b0 = {0.3f, -0.2f};
        float[][] cw = {{1f, 2f, -1f, 0.5f, 0f, 3f}, {-2f, 1f, 0.5f, 1f, -1f, 0.25f}, {0.5f, 0.5f, -3f, 1f, 2f, -1f}};
        float[] uninterrupted = steps(scheduled(0), w0, b0, cw, 0, 3, null, null);
        NDList[] momentum = new NDList[1];
        float[] afterOne = steps(scheduled(0), w0, b0, cw, 0, 1, momentum, null);
        assertEquals(List.of("weight", "bias"), momentum[0].stream().map(NDArray::getName).toList());
        float[] resumed = steps(scheduled(1), java.util.Arrays.copyOfRange(afterOne, 0, 6), java.util.Arrays.copyOfRange(afterOne, 6, 8), cw, 1, 3,
                null, momentum[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(uninterrupted, resumed);
        // without the momentum the same two steps end elsewhere
        float[] forgetful = steps(scheduled(1), java.util.Arrays.copyOfRange(afterOne, 0, 6), java.util.Arrays.copyOfRange(afterOne, 6, 8), cw, 1, 3,
                null, null);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(uninterrupted, forgetful));
        // a momentum that is not this network's
        NDArray stray = MANAGER.zeros(new Shape(2, 3));
        stray.setName("nope");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> steps(scheduled(1), w0, b0, cw, 1, 2, null, new NDList(stray)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void builderRefusesMeaninglessSettings() {
        assertThrows(NullPointerException.class, () -> Lars.builder().build());
        assertThrows(IllegalArgumentException.class, () -> Lars.builder().setLearningRateTracker(Tracker.fixed(1f)).optMomentum(1f).build());
        assertThrows(IllegalArgumentException.class, () -> Lars.builder().setLearningRateTracker(Tracker.fixed(1f)).optEta(0f).build());
        assertThrows(IllegalArgumentException.class, () -> Lars.builder().setLearningRateTracker(Tracker.fixed(1f)).optWeightDecay(-1f).build());
    }

    @Test
    void warmupThenCosineToAThousandthAsTheOfficialSchedule() {
        WarmupCosineTracker t = new WarmupCosineTracker(2.0, 10, 110, WarmupCosineTracker.VICREG_FINAL_FRACTION);
        assertEquals(0.0, t.valueAtStep(0));
        assertEquals(1.0, t.valueAtStep(5), 1e-12);
        assertEquals(2.0, t.valueAtStep(10), 1e-12);
        // half-way through the decay: q = 1/2
        assertEquals(2.0 * 0.5 + 0.002 * 0.5, t.valueAtStep(60), 1e-12);
        assertEquals(0.002, t.valueAtStep(110), 1e-12);
        assertEquals(0.002, t.valueAtStep(500), 1e-12);
        // DJL's first update is update 1: step 0
        assertEquals(0f, t.getNewValue(1));
        assertEquals((float) t.valueAtStep(60), t.getNewValue(61));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineTracker(1, 10, 10, 0.001));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineTracker(0, 0, 10, 0.001));
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
