package org.embreg.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;

/** A small initialized network with a nested sequential block, for the layer-capture tests. */
public final class TinyNetwork {
    private TinyNetwork() {}

    public static final int B = 6;

    /** conv(3) relu, [conv(4) relu] nested, flatten, linear(5), on (b, 1, 4, 4). */
    public static SequentialBlock network(NDManager manager, DataType type) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(3).build())
                .add(Activation.reluBlock())
                .add(new SequentialBlock()
                        .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(4).build())
                        .add(Activation.reluBlock()))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build());
        Engine.getInstance().setRandomSeed(7);
        net.setInitializer(new NormalInitializer(0.5f), Parameter.Type.WEIGHT);
        net.setInitializer(new NormalInitializer(0.1f), Parameter.Type.BIAS);
        net.initialize(manager, type, new Shape(B, 1, 4, 4));
        return net;
    }

    public static NDArray input(NDManager manager, long seed, DataType type) {
        java.util.Random r = new java.util.Random(seed);
        double[] v = r.doubles(B * 16L).map(x -> 2 * x - 1).toArray();
        return manager.create(v, new Shape(B, 1, 4, 4)).toType(type, false);
    }
}
