package org.embreg.experiments.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The small CNN computes in a channels-last layout after its first convolution (for the engine's faster pooling); it
 * must compute what the plain formula computes: conv, ReLU, 2 x 2 max pooling, conv, ReLU, pooling, flatten, linear.
 */
class SmallCnnTest {
    /** The network's output and every parameter's gradient against the plain formula on copies of the same parameters. */
    @Test
    void channelsLastNetworkComputesThePlainFormulaAndItsGradient() {
        int b = 5;
        int width = 8;
        int dim = 6;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(17);
            SequentialBlock net = SmallCnn.build(width, dim);
            net.initialize(m, DataType.FLOAT32, new Shape(b, 1, 28, 28));
            List<Parameter> params = new ArrayList<>();
            for (Pair<String, Parameter> p : net.getParameters()) {
                params.add(p.getValue());
            }
            assertEquals(6, params.size(), "two convolutions and the linear layer, each with weight and bias");
            // positive biases: ReLU passes the constant background, so pooling windows hold equal positive values (ties;
            // which tied position takes the gradient makes no difference to the parameters' gradients there, only to where
            // it flows: both of the engine's pooling kernels keep the first maximum)
            params.get(1).getArray().addi(0.1f);
            params.get(3).getArray().addi(0.05f);
            // zero background with a random patch: windows of equal values, and windows across the patch's edge
            float[] pixels = new float[b * 28 * 28];
            java.util.Random r = new java.util.Random(3);
            for (int i = 0; i < b; i++) {
                for (int y = 7; y < 19; y++) {
                    for (int x = 5 + i; x < 21; x++) {
                        pixels[i * 784 + y * 28 + x] = r.nextFloat();
                    }
                }
            }
            NDArray input = m.create(pixels, new Shape(b, 1, 28, 28));
            NDArray weights = m.randomNormal(new Shape(b, dim));

            List<NDArray> copies = new ArrayList<>();
            for (Parameter p : params) {
                NDArray c = p.getArray().duplicate();
                c.setRequiresGradient(true);
                copies.add(c);
            }
            NDArray out;
            NDArray plain;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                out = net.forward(new ParameterStore(m, false), new NDList(input), true).singletonOrThrow();
                gc.backward(out.mul(weights).sum());
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray h = Conv2d.conv2d(input, copies.get(0), copies.get(1), new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                h = Pool.maxPool2d(Activation.relu(h), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                h = Conv2d.conv2d(h, copies.get(2), copies.get(3), new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                h = Pool.maxPool2d(Activation.relu(h), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                plain = Linear.linear(h.reshape(b, -1), copies.get(4), copies.get(5)).singletonOrThrow();
                gc.backward(plain.mul(weights).sum());
            }
            assertClose(plain, out, "the output");
            for (int i = 0; i < params.size(); i++) {
                assertClose(copies.get(i).getGradient(), params.get(i).getArray().getGradient(), "the gradient of parameter " + i);
            }
        }
    }

    private static void assertClose(NDArray want, NDArray got, String what) {
        float[] w = want.toFloatArray();
        float[] g = got.toFloatArray();
        assertEquals(w.length, g.length, what + ": size");
        double scale = 0;
        for (float v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " is not all zero");
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], 1e-5 * scale, what + ", entry " + i);
        }
    }
}
