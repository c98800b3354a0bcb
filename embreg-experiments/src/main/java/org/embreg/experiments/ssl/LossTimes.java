package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EachViewLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregTermRegularizer;

/**
 * The cost of each pretraining objective, and of the two regularizers the review compares (VICReg's
 * variance and covariance terms against SVMax), alone: the median wall time of a forward and
 * backward pass on random expander outputs (two views of b x d), after warm-up. The candidates are
 * timed in interleaved rounds (each round times every candidate once), so that a machine that gets
 * busier or quieter during the measurement shifts all of them alike.
 */
public final class LossTimes {
    static final int WARMUP = 5;
    static final int ROUNDS = 21;

    private LossTimes() {}

    /** One candidate's timing: the median and the quartiles over the rounds, in milliseconds. */
    public record Timing(double medianMillis, double lowerQuartileMillis, double upperQuartileMillis) {}

    /** The ablation's table: every objective and every regularizer at the run's expander size. */
    static Map<String, Double> medianMillis(SslConfig c, SymmetricEigenSolver solver) {
        Map<String, List<EmbeddingLoss>> candidates = new LinkedHashMap<>();
        for (SslObjective o : SslObjective.values()) {
            candidates.put(o.cliName(), List.of(o.loss(c, solver)));
        }
        candidates.putAll(regularizers(solver));
        Map<String, Double> out = new LinkedHashMap<>();
        time(candidates, c.batchSize(), c.expander().get(c.expander().size() - 1), WARMUP, ROUNDS)
                .forEach((name, t) -> out.put(name, t.medianMillis()));
        return out;
    }

    /**
     * The regularizers the review compares, each on both views: VICReg's variance and covariance
     * terms together, and SVMax bounded (on the normalized rows) and vanilla.
     */
    public static Map<String, List<EmbeddingLoss>> regularizers(SymmetricEigenSolver solver) {
        Map<String, List<EmbeddingLoss>> m = new LinkedHashMap<>();
        m.put("regularizer: vicreg variance + covariance", List.of(
                new EachViewLoss(VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).build()),
                new EachViewLoss(VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).build())));
        m.put("regularizer: svmax bounded", List.of(new EachViewLoss(SvmaxRegularizer.builder().optEigenSolver(solver).build())));
        m.put("regularizer: svmax vanilla", List.of(new EachViewLoss(SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA)
                .optEigenSolver(solver).build())));
        return m;
    }

    /**
     * Times each candidate's forward and backward pass (the sum of its parts) on two random views of
     * b x d, in interleaved rounds.
     *
     * @param candidates name to the losses summed
     * @param warmup untimed rounds
     * @param rounds timed rounds
     */
    public static Map<String, Timing> time(Map<String, List<EmbeddingLoss>> candidates, int b, int d, int warmup, int rounds) {
        if (b < 2 || d < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("need b >= 2, d >= 1, warm-up >= 0 and rounds >= 1; got " + b + ", " + d + ", " + warmup + ", " + rounds);
        }
        List<String> names = new ArrayList<>(candidates.keySet());
        double[][] t = new double[names.size()][rounds];
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int r = -warmup; r < rounds; r++) {
                for (int i = 0; i < names.size(); i++) {
                    double ms = once(manager, candidates.get(names.get(i)), b, d);
                    if (r >= 0) {
                        t[i][r] = ms;
                    }
                }
            }
        }
        Map<String, Timing> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            double[] s = t[i].clone();
            Arrays.sort(s);
            out.put(names.get(i), new Timing(s[rounds / 2], s[rounds / 4], s[(3 * rounds) / 4]));
        }
        return out;
    }

    private static double once(NDManager manager, List<EmbeddingLoss> parts, int b, int d) {
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
            return (System.nanoTime() - t0) / 1e6;
        }
    }
}
