package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EachViewLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregTermRegularizer;

/**
 * The cost of each pretraining objective, and of the two regularizers the review compares (VICReg's
 * variance and covariance terms against SVMax), alone: the median wall time of a forward and
 * backward pass on random expander outputs of the run's size (two views of batch x last expander
 * size), after warm-up.
 */
final class LossTimes {
    static final int WARMUP = 5;
    static final int REPEATS = 21;

    private LossTimes() {}

    static Map<String, Double> medianMillis(SslConfig c, SymmetricEigenSolver solver) {
        Map<String, EmbeddingLoss> losses = new LinkedHashMap<>();
        for (SslObjective o : SslObjective.values()) {
            losses.put(o.cliName(), o.loss(c, solver));
        }
        losses.put("regularizer: vicreg variance + covariance", null);
        losses.put("regularizer: svmax bounded", new EachViewLoss(SvmaxRegularizer.builder().optEigenSolver(solver).build()));
        losses.put("regularizer: svmax vanilla", new EachViewLoss(SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA)
                .optEigenSolver(solver).build()));
        int b = c.batchSize();
        int d = c.expander().get(c.expander().size() - 1);
        Map<String, Double> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, EmbeddingLoss> e : losses.entrySet()) {
                EmbeddingLoss[] parts = e.getValue() == null
                        ? new EmbeddingLoss[] {new EachViewLoss(VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).build()),
                            new EachViewLoss(VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).build())}
                        : new EmbeddingLoss[] {e.getValue()};
                double[] t = new double[REPEATS];
                for (int r = -WARMUP; r < REPEATS; r++) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray z = scope.randomNormal(new Shape(b, d));
                        NDArray zp = scope.randomNormal(new Shape(b, d));
                        z.setRequiresGradient(true);
                        zp.setRequiresGradient(true);
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                            NDArray total = null;
                            for (EmbeddingLoss part : parts) {
                                NDArray v = part.evaluate(new NDList(), new NDList(z, zp));
                                total = total == null ? v : total.add(v);
                            }
                            gc.backward(total);
                        }
                        z.getGradient().toFloatArray();
                        if (r >= 0) {
                            t[r] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                }
                Arrays.sort(t);
                out.put(e.getKey(), t[REPEATS / 2]);
            }
        }
        return out;
    }
}
