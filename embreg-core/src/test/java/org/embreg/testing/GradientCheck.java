package org.embreg.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.function.Function;
import org.embreg.loss.EmbeddingLoss;

/**
 * Central finite differences in float64 against the autograd gradient, entry by entry.
 */
public final class GradientCheck {
    private GradientCheck() {}

    /** Step of the central difference. */
    public static final double STEP = 1e-6;

    /**
     * Checks d f / d views[0] for a scalar function f of the views.
     *
     * @param manager where the arrays live
     * @param views the views as double[rows][dim]; only the first is perturbed
     * @param f maps float64 views to a scalar
     * @param tolerance absolute plus relative tolerance per entry
     * @param what a label for messages
     */
    public static void check(NDManager manager, double[][][] views, Function<NDList, NDArray> f, double tolerance, String what) {
        double[][] e = views[0];
        int b = e.length;
        int d = e[0].length;
        double[] analytic;
        double base;
        try (NDManager scope = manager.newSubManager()) {
            NDList list = toList(scope, views);
            NDArray x = list.get(0);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = f.apply(list);
                base = y.getDouble();
                gc.backward(y);
            }
            analytic = x.getGradient().toDoubleArray();
        }
        assertTrue(Double.isFinite(base), what + ": loss is not finite: " + base);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                double keep = e[i][j];
                e[i][j] = keep + STEP;
                double plus = value(manager, views, f);
                e[i][j] = keep - STEP;
                double minus = value(manager, views, f);
                e[i][j] = keep;
                double numeric = (plus - minus) / (2 * STEP);
                double a = analytic[i * d + j];
                assertTrue(Double.isFinite(a), what + ": gradient entry (" + i + "," + j + ") is not finite");
                assertEquals(numeric, a, tolerance * (1 + Math.abs(numeric)),
                        what + ": gradient entry (" + i + "," + j + ") analytic " + a + " numeric " + numeric);
            }
        }
    }

    private static double value(NDManager manager, double[][][] views, Function<NDList, NDArray> f) {
        try (NDManager scope = manager.newSubManager()) {
            return f.apply(toList(scope, views)).getDouble();
        }
    }

    /**
     * A loss's value and then its gradient with respect to the first view, both as doubles: the first view is marked
     * for the gradient, the loss evaluated and backward run.
     */
    public static double[] valueAndGradient(EmbeddingLoss loss, NDList labels, NDList views) {
        views.get(0).setRequiresGradient(true);
        double value;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray result = loss.evaluate(labels, views);
            value = result.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
            gc.backward(result);
        }
        double[] gradient = views.get(0).getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
        double[] out = new double[gradient.length + 1];
        out[0] = value;
        System.arraycopy(gradient, 0, out, 1, gradient.length);
        return out;
    }

    public static NDList toList(NDManager m, double[][][] views) {
        NDList list = new NDList();
        for (double[][] v : views) {
            list.add(m.create(v));
        }
        return list;
    }
}
