package org.embreg.experiments.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The small embedding CNN of the demo: two 3x3 convolutions (width and 2 x width channels, ReLU,
 * 2x2 max pooling each), then a linear embedding layer of size d. Input (b, 1, h, w).
 */
public final class SmallCnn {
    private SmallCnn() {}

    /** The fewest filters of the first convolution that train correctly here (see {@link #WHY_MIN_WIDTH}). */
    public static final int MIN_WIDTH = 8;

    /** Why narrower first layers are refused. */
    public static final String WHY_MIN_WIDTH = "with 2 or more threads, the PyTorch 2.7.1 CPU engine computes wrong, run-to-run different gradients "
            + "for a one-channel 3x3 convolution with fewer than 8 filters (measured here: 1 vs 2 threads agree from 8 filters on, and differ by "
            + "up to a factor of 3 below)";

    public static SequentialBlock build(int width, int dim) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(width).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(2 * width).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(dim).build());
    }
}
