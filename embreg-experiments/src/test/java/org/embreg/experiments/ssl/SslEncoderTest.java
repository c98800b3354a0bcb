package org.embreg.experiments.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Every encoder gives a representation of 4 x width, on Fashion-MNIST's size and on the smallest images --data takes. */
class SslEncoderTest {
    @Test
    void everyEncoderGivesFourTimesTheWidth() {
        for (SslEncoder e : SslEncoder.values()) {
            for (int side : new int[] {8, 28}) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Block b = e.build(16, side, side);
                    Shape input = new Shape(3, 1, side, side);
                    b.initialize(m, DataType.FLOAT32, input);
                    Shape out = b.forward(new ParameterStore(m, false), new NDList(m.randomNormal(input)), false).singletonOrThrow().getShape();
                    assertEquals(new Shape(3, 64), out, e.cliName() + " on " + side + " x " + side);
                }
            }
        }
    }
}
