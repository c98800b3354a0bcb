package org.embreg.experiments.circle;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import org.embreg.loss.Embeddings;

/**
 * The official SVMax demo's network for MNIST on the unit circle: one 3 x 3 convolution with 32
 * filters (no padding) and ReLU, a dense layer of 128 with ReLU, a dense layer of 2, and the rows
 * L2-normalized onto the unit circle. Input (b, 1, h, w).
 */
public final class CircleModel {
    /** Filters of the convolution. */
    public static final int FILTERS = 32;
    /** Units of the hidden dense layer. */
    public static final int HIDDEN = 128;

    private CircleModel() {}

    public static SequentialBlock build() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(FILTERS).build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build())
                .add(new LambdaBlock(x -> new NDList(Embeddings.l2NormalizeRows(x.singletonOrThrow())), "unit-circle"));
    }
}
