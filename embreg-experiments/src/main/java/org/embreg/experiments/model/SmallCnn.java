package org.embreg.experiments.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The small embedding CNN of the demo: two 3x3 convolutions (width and 2 x width channels, ReLU,
 * 2x2 max pooling each), then a linear embedding layer of size d. Input (b, 1, h, w). From the first ReLU to the
 * flattening, the batch is laid out channels-last in memory (see {@link #channelsLast}): the engine pools that layout
 * several times faster.
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
                .add(LambdaBlock.singleton(x -> Activation.relu(channelsLast(x)), "ReLU"))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(2 * width).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(dim).build());
    }

    /**
     * The same (b, c, h, w) values laid out channels-last in memory (a copy; a view when they already are). The engine's
     * pooling of the plain layout goes one window at a time (about 10 ms forward at 144 x 32 x 28 x 28 here, about half
     * of the network's forward pass), its channels-last kernel runs across the channels; and the layout carries on
     * through the ReLU, the pooling and the second convolution, so that each of their backward passes meets its
     * gradient in the same layout as its saved input. The values and gradients are the plain network's (the pooling picks
     * the same maximum of each window; the second convolution may round differently in this layout: SmallCnnTest).
     */
    static NDArray channelsLast(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.transpose(0, 2, 3, 1).reshape(n * h * w * c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }
}
