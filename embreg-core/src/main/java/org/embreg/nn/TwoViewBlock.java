package org.embreg.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * One encoder applied to two views, for two-view losses such as
 * {@link org.embreg.regularizer.VicregLoss} under DJL's {@code Trainer}: the input NDList holds
 * two batches (x, x'), the output NDList holds (f(x), f(x')), both through the very same
 * parameters (the encoder is this block's only child, so the trainer sees one parameter set).
 *
 * <p>Each view goes through the encoder in its own forward call, as in the VICReg authors' code, so
 * an encoder with batch normalization normalizes each view by its own batch statistics. The encoder
 * must give one output array per view. Both views must have the same shape.
 *
 * <p>Pairs with {@link org.embreg.data.TwoViewDataset}, whose records hold the two views of a
 * sample.
 */
public final class TwoViewBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block encoder;

    /**
     * @param encoder the shared encoder: one input array (a batch of one view) to one output array
     *     (its embeddings); it becomes this block's child
     */
    public TwoViewBlock(Block encoder) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", Objects.requireNonNull(encoder, "encoder"));
    }

    /** The shared encoder. */
    public Block getEncoder() {
        return encoder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("TwoViewBlock takes two views, got " + inputs.size() + " input arrays");
        }
        NDList first = encoder.forward(parameterStore, new NDList(inputs.get(0)), training, params);
        NDList second = encoder.forward(parameterStore, new NDList(inputs.get(1)), training, params);
        if (first.size() != 1 || second.size() != 1) {
            throw new IllegalStateException("the encoder must give one array per view, got " + first.size() + " and " + second.size());
        }
        return new NDList(first.get(0), second.get(0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, viewShape(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] out = encoder.getOutputShapes(new Shape[] {viewShape(inputShapes)});
        if (out.length != 1) {
            throw new IllegalStateException("the encoder must give one array per view, it gives " + out.length);
        }
        return new Shape[] {out[0], out[0]};
    }

    private static Shape viewShape(Shape[] inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException("TwoViewBlock takes two views, got " + inputShapes.length + " input shapes");
        }
        if (!inputShapes[0].equals(inputShapes[1])) {
            throw new IllegalArgumentException("the two views must have one shape, got " + inputShapes[0] + " and " + inputShapes[1]);
        }
        return inputShapes[0];
    }
}
