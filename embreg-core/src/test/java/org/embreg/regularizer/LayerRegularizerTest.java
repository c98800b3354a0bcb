package org.embreg.regularizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.nio.DoubleBuffer;
import java.util.List;
import java.util.function.Supplier;
import org.embreg.EmbregException;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;
import org.embreg.nn.CapturingBlock;
import org.embreg.nn.LayerCaptures;
import org.embreg.testing.TinyNetwork;
import org.junit.jupiter.api.Test;

/**
 * The layer regularizer: its value is the weighted sum of the regularizer on each layer's pooled
 * activations, computed here independently (pooling on the host, a fresh regularizer per layer),
 * and its gradient with respect to the first convolution's weights matches central differences in
 * float64.
 */
class LayerRegularizerTest {
    static final List<String> POINTS = List.of("02LambdaBlock", "03SequentialBlock", "05Linear");

    static Supplier<EmbeddingLoss> svmax() {
        return () -> SvmaxRegularizer.builder().build();
    }

    static Supplier<EmbeddingLoss> variance() {
        return () -> VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).build();
    }

    @Test
    void theValueIsTheWeightedSumOverLayersOfThePooledActivations() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT64);
            LayerCaptures captures = new LayerCaptures();
            CapturingBlock wrapped = new CapturingBlock(net, POINTS, captures);
            LayerRegularizer reg = LayerRegularizer.builder(captures, POINTS, svmax()).optWeight(0.5).optWeight("05Linear", 2).build();
            NDArray x = TinyNetwork.input(m, 3, DataType.FLOAT64);
            ParameterStore store = new ParameterStore(m, false);
            NDArray out = wrapped.forward(store, new NDList(x), true).head();
            // the activations by hand, pooled on the host
            var children = net.getChildren();
            NDList a = new NDList(x);
            double expected = 0;
            double[] weights = {0, 0.5, 0.5, 0, 2};
            for (int i = 0; i < children.size(); i++) {
                a = children.get(i).getValue().forward(store, a, false);
                if (weights[i] > 0) {
                    NDArray pooled = m.create(hostMean(a.head()), new Shape(TinyNetwork.B, a.head().getShape().get(1)));
                    expected += weights[i] * svmax().get().evaluate(new NDList(), new NDList(pooled)).getDouble();
                }
            }
            double value = reg.evaluate(new NDList(), new NDList(out)).getDouble();
            assertEquals(expected, value, 1e-12);
            List<TermValue> terms = reg.lastTerms();
            assertEquals(List.of("layers.02LambdaBlock", "layers.03SequentialBlock", "layers.05Linear"), terms.stream().map(TermValue::name).toList());
            assertEquals(value, terms.stream().mapToDouble(TermValue::value).sum(), 1e-12);
        }
    }

    /** Mean over everything after the channel axis, on the host. */
    private static double[] hostMean(NDArray activation) {
        Shape s = activation.getShape();
        double[] v = activation.toDoubleArray();
        int b = (int) s.get(0);
        int c = (int) s.get(1);
        int rest = v.length / (b * c);
        double[] out = new double[b * c];
        for (int i = 0; i < b * c; i++) {
            for (int k = 0; k < rest; k++) {
                out[i] += v[i * rest + k] / rest;
            }
        }
        return out;
    }

    @Test
    void svmaxOnEveryLayerMatchesFiniteDifferences() {
        checkGradient(svmax(), 0);
    }

    /** Flattened maps: 48 and 64 columns for 6 rows (b &lt; c), and the 5-column embedding. */
    @Test
    void svmaxOnFlattenedLayersWiderThanTheBatchMatchesFiniteDifferences() {
        checkGradient(svmax(), 2);
    }

    @Test
    void varianceOnEveryLayerMatchesFiniteDifferences() {
        checkGradient(variance(), 0);
    }

    @Test
    void covarianceOnEveryLayerMatchesFiniteDifferences() {
        checkGradient(() -> VicregTermRegularizer.builder(VicregTermRegularizer.Term.COVARIANCE).build(), 0);
    }

    /** SVMax's vanilla form (-s_mu of the raw activations), as for unnormalized outputs. */
    @Test
    void vanillaSvmaxOnEveryLayerMatchesFiniteDifferences() {
        checkGradient(() -> SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).build(), 0);
    }

    /** Identical rows in every layer (the same input image six times): the gradient is finite and matches. */
    @Test
    void svmaxOnIdenticalRowsMatchesFiniteDifferences() {
        checkGradient(svmax(), 1);
    }

    /** @param variant 0: distinct images; 1: the same image six times; 2: distinct images, maps flattened */
    private static void checkGradient(Supplier<EmbeddingLoss> regularizer, int variant) {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT64);
            LayerCaptures captures = new LayerCaptures(variant == 2 ? LayerCaptures.Reduction.FLATTEN : LayerCaptures.Reduction.GLOBAL_AVERAGE);
            CapturingBlock wrapped = new CapturingBlock(net, POINTS, captures);
            LayerRegularizer reg = LayerRegularizer.builder(captures, POINTS, regularizer).build();
            NDArray x = TinyNetwork.input(m, 5, DataType.FLOAT64);
            if (variant == 1) {
                x = x.get("0:1").repeat(0, TinyNetwork.B);
            }
            Parameter w = net.getParameters().get("01Conv2d_weight");
            double[] analytic;
            try (NDManager step = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = value(wrapped, reg, x, step);
                gc.backward(loss);
                analytic = w.getArray().getGradient().toDoubleArray();
            }
            double[] theta = w.getArray().toDoubleArray();
            double h = 1e-6;
            double worst = 0;
            for (int k = 0; k < theta.length; k++) {
                double[] plus = theta.clone();
                plus[k] += h;
                double[] minus = theta.clone();
                minus[k] -= h;
                double numeric = (valueAt(wrapped, reg, x, w, plus, m) - valueAt(wrapped, reg, x, w, minus, m)) / (2 * h);
                assertTrue(Double.isFinite(analytic[k]), "gradient entry " + k);
                worst = Math.max(worst, Math.abs(numeric - analytic[k]) / Math.max(1, Math.abs(numeric)));
            }
            w.getArray().set(DoubleBuffer.wrap(theta));
            assertTrue(worst < 1e-6, "worst relative difference " + worst);
            double scale = 0;
            for (double g : analytic) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(variant == 1 || scale > 1e-6, "the layers' regularizer reaches the first layer's weights");
        }
    }

    private static double valueAt(CapturingBlock wrapped, LayerRegularizer reg, NDArray x, Parameter w, double[] theta, NDManager m) {
        w.getArray().set(DoubleBuffer.wrap(theta));
        try (NDManager step = m.newSubManager()) {
            return value(wrapped, reg, x, step).getDouble();
        }
    }

    private static NDArray value(CapturingBlock wrapped, LayerRegularizer reg, NDArray x, NDManager step) {
        NDArray out = wrapped.forward(new ParameterStore(step, false), new NDList(x), true).head();
        out.attach(step);
        return reg.evaluate(new NDList(), new NDList(out));
    }

    @Test
    void twoRunsInAStepAreAveraged() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT64);
            LayerCaptures captures = new LayerCaptures();
            CapturingBlock wrapped = new CapturingBlock(net, POINTS, captures);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x1 = TinyNetwork.input(m, 11, DataType.FLOAT64);
            NDArray x2 = TinyNetwork.input(m, 12, DataType.FLOAT64);
            LayerRegularizer reg = LayerRegularizer.builder(captures, POINTS, variance()).build();
            double first = reg.evaluate(new NDList(), new NDList(wrapped.forward(store, new NDList(x1), true).head())).getDouble();
            double second = reg.evaluate(new NDList(), new NDList(wrapped.forward(store, new NDList(x2), true).head())).getDouble();
            NDArray o1 = wrapped.forward(store, new NDList(x1), true).head();
            wrapped.forward(store, new NDList(x2), true);
            assertEquals(2, captures.latest(POINTS.get(0)).size(), "both runs of the step are recorded, in call order");
            assertEquals((first + second) / 2, reg.evaluate(new NDList(), new NDList(o1)).getDouble(), 1e-12);
        }
    }

    /** A validation pass (inference, as DJL's EasyTrain evaluates the training loss on validation batches) gives 0, not an error. */
    @Test
    void anInferencePassGivesZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT64);
            LayerCaptures captures = new LayerCaptures();
            CapturingBlock wrapped = new CapturingBlock(net, POINTS, captures);
            LayerRegularizer reg = LayerRegularizer.builder(captures, POINTS, svmax()).build();
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = TinyNetwork.input(m, 4, DataType.FLOAT64);
            NDArray trained = wrapped.forward(store, new NDList(x), true).head();
            double value = reg.evaluate(new NDList(), new NDList(trained)).getDouble();
            assertTrue(value > 1, "the bounded SVMax terms are at least 1 each: " + value);
            NDArray validated = wrapped.forward(store, new NDList(x), false).head();
            assertEquals(0.0, reg.evaluate(new NDList(), new NDList(validated)).getDouble());
            // and the next training pass is regularized again
            NDArray again = wrapped.forward(store, new NDList(x), true).head();
            assertEquals(value, reg.evaluate(new NDList(), new NDList(again)).getDouble(), 1e-12);
        }
    }

    @Test
    void aPointNothingRecordedIsAnErrorNamingIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT64);
            LayerCaptures captures = new LayerCaptures();
            LayerRegularizer reg = LayerRegularizer.builder(captures, POINTS, svmax()).build();
            // the plain network, not the wrapper: nothing is recorded
            NDArray out = net.forward(new ParameterStore(m, false), new NDList(TinyNetwork.input(m, 1, DataType.FLOAT64)), true).head();
            EmbregException e = assertThrows(EmbregException.class, () -> reg.evaluate(new NDList(), new NDList(out)));
            assertTrue(e.getMessage().contains("'02LambdaBlock'") && e.getMessage().contains("CapturingBlock"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LayerRegularizer.builder(captures, POINTS, () -> SvmaxRegularizer.builder().build())
                    .optWeight("07Linear", 1));
            EmbeddingLoss shared = SvmaxRegularizer.builder().build();
            assertThrows(IllegalArgumentException.class, () -> LayerRegularizer.builder(captures, POINTS, () -> shared).build());
        }
    }
}
