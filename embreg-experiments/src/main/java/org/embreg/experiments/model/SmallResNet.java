package org.embreg.experiments.model;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;

/**
 * A small ResNet-style encoder for 1-channel images: a 3 x 3 convolution of w channels with batch
 * normalization and ReLU, three residual stages of w, 2w and 4w channels (the last two halve the
 * resolution; each stage is two 3 x 3 convolutions with batch normalization and a projection
 * shortcut where the shape changes), global average pooling. The representation has 4w
 * dimensions. Input (b, 1, h, w).
 */
public final class SmallResNet {
    private SmallResNet() {}

    /**
     * The narrowest encoder that trains reproducibly here: at width 8, two runs from the same seed
     * on 2 threads diverged from the first update on (the PyTorch 2.7.1 CPU engine's gradients of
     * these narrow convolutions depend on the thread split; see {@link SmallCnn#WHY_MIN_WIDTH});
     * at width 16 they agree.
     */
    public static final int MIN_WIDTH = 16;

    /** The representation size of an encoder of this width. */
    public static int representation(int width) {
        return 4 * width;
    }

    public static SequentialBlock build(int width) {
        if (width < MIN_WIDTH) {
            throw new IllegalArgumentException("the encoder's width must be >= " + MIN_WIDTH + ", got " + width
                    + ": narrower convolutions train differently run to run on the PyTorch CPU engine with 2 threads");
        }
        return new SequentialBlock()
                .add(conv(width, 1))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(residual(width, 1, false))
                .add(residual(2 * width, 2, true))
                .add(residual(4 * width, 2, true))
                .add(Pool.globalAvgPool2dBlock())
                .add(Blocks.batchFlattenBlock());
    }

    private static Conv2d conv(int channels, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).optStride(new Shape(stride, stride)).setFilters(channels)
                .optBias(false).build();
    }

    /** Two 3 x 3 convolutions with batch normalization, added to the input (projected by a 1 x 1 convolution when the shape changes), then ReLU. */
    static Block residual(int channels, int stride, boolean project) {
        SequentialBlock main = new SequentialBlock().add(conv(channels, stride)).add(BatchNorm.builder().build()).add(Activation.reluBlock())
                .add(conv(channels, 1)).add(BatchNorm.builder().build());
        SequentialBlock shortcut = new SequentialBlock();
        if (project) {
            shortcut.add(Conv2d.builder().setKernelShape(new Shape(1, 1)).optStride(new Shape(stride, stride)).setFilters(channels).optBias(false).build())
                    .add(BatchNorm.builder().build());
        } else {
            shortcut.add(Blocks.identityBlock());
        }
        return new SequentialBlock()
                .add(new ParallelBlock(list -> new NDList(NDArrays.add(list.get(0).singletonOrThrow(), list.get(1).singletonOrThrow())),
                        Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }
}
