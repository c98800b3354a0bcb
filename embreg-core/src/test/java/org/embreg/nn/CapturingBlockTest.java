package org.embreg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.testing.TinyNetwork;
import org.junit.jupiter.api.Test;

/** The wrapper records the arrays the next block consumes and is otherwise the network itself. */
class CapturingBlockTest {
    @Test
    void oneLayerPointPerLayerAndEveryPathListed() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT32);
            assertEquals(List.of("02LambdaBlock", "03SequentialBlock", "05Linear"), CapturingBlock.layers(net, new Shape(TinyNetwork.B, 1, 4, 4)));
            assertEquals(List.of("01Conv2d", "02LambdaBlock", "03SequentialBlock", "03SequentialBlock/01Conv2d", "03SequentialBlock/02LambdaBlock",
                    "04LambdaBlock", "05Linear"), CapturingBlock.paths(net));
            EmbregException e = assertThrows(EmbregException.class, () -> new CapturingBlock(net, List.of("02Conv2d"), new LayerCaptures()));
            assertTrue(e.getMessage().contains("'02Conv2d'") && e.getMessage().contains("03SequentialBlock/01Conv2d"), e.getMessage());
        }
    }

    @Test
    void trainingPassesRecordTheArraysTheNextBlockConsumesAndGiveTheSameOutput() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT32);
            LayerCaptures captures = new LayerCaptures();
            CapturingBlock wrapped = new CapturingBlock(net, List.of("02LambdaBlock", "03SequentialBlock/01Conv2d", "05Linear"), captures);
            NDArray x = TinyNetwork.input(m, 1, DataType.FLOAT32);
            ParameterStore store = new ParameterStore(m, false);
            NDArray plain = net.forward(store, new NDList(x), true).head();
            NDArray out = wrapped.forward(store, new NDList(x), true).head();
            assertArrayEquals(plain.toFloatArray(), out.toFloatArray(), 0f);
            // the first two children by hand, and the nested convolution on their output
            var children = net.getChildren();
            NDList relu = children.get(1).getValue().forward(store, children.get(0).getValue().forward(store, new NDList(x), true), true);
            NDList conv2 = ((SequentialBlock) children.get(2).getValue()).getChildren().get(0).getValue().forward(store, relu, true);
            Map<String, List<NDArray>> taken = captures.take();
            assertEquals(List.of("02LambdaBlock", "03SequentialBlock/01Conv2d", "05Linear"), List.copyOf(taken.keySet()));
            assertArrayEquals(relu.head().toFloatArray(), taken.get("02LambdaBlock").get(0).toFloatArray(), 0f);
            assertArrayEquals(conv2.head().toFloatArray(), taken.get("03SequentialBlock/01Conv2d").get(0).toFloatArray(), 0f);
            assertTrue(taken.get("05Linear").get(0) == out, "the output itself is recorded");
            assertEquals(taken, Map.of("02LambdaBlock", captures.latest("02LambdaBlock"), "03SequentialBlock/01Conv2d",
                    captures.latest("03SequentialBlock/01Conv2d"), "05Linear", captures.latest("05Linear")));
            // inference records nothing
            wrapped.forward(store, new NDList(x), false);
            assertTrue(captures.take().isEmpty());
        }
    }

    @Test
    void parametersAndSavedBytesAreTheNetworks() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock net = TinyNetwork.network(m, DataType.FLOAT32);
            CapturingBlock wrapped = new CapturingBlock(net, List.of("02LambdaBlock"), new LayerCaptures());
            assertEquals(net.getParameters().keys(), wrapped.getParameters().keys());
            assertArrayEquals(bytes(net), bytes(wrapped));
        }
    }

    @Test
    void globalAverageOrFlatten() {
        try (NDManager m = NDManager.newBaseManager()) {
            double[] v = new double[2 * 3 * 2 * 2];
            for (int i = 0; i < v.length; i++) {
                v[i] = i * i;
            }
            NDArray map = m.create(v, new Shape(2, 3, 2, 2));
            double[] pooled = new LayerCaptures().matrix(map).toDoubleArray();
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 3; c++) {
                    double mean = 0;
                    for (int k = 0; k < 4; k++) {
                        mean += v[(r * 3 + c) * 4 + k] / 4;
                    }
                    assertEquals(mean, pooled[r * 3 + c], 1e-12);
                }
            }
            assertEquals(new Shape(2, 12), new LayerCaptures(LayerCaptures.Reduction.FLATTEN).matrix(map).getShape());
            NDArray matrix = m.create(new double[] {1, 2, 3, 4}, new Shape(2, 2));
            assertTrue(new LayerCaptures().matrix(matrix) == matrix);
        }
    }

    static byte[] bytes(ai.djl.nn.Block block) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(out)) {
            block.saveParameters(os);
        }
        return out.toByteArray();
    }
}
