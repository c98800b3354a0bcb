package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Objects;

/**
 * VICReg's network: an encoder (the representation y) and an expander (the embedding z the loss
 * sees), both shared by the two views. Input (x, x'); output (z, z', y, y'), so a two-view loss
 * reads predictions 0 and 1 and the collapse monitor can watch the representation as prediction 2.
 * Each view goes through the network in its own call, so batch normalization normalizes each view
 * by its own statistics, as in the official code.
 */
public final class SslNetwork extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block encoder;
    private final Block expander;

    /**
     * @param encoder images to representations
     * @param expander representations to embeddings
     */
    public SslNetwork(Block encoder, Block expander) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", Objects.requireNonNull(encoder, "encoder"));
        this.expander = addChildBlock("expander", Objects.requireNonNull(expander, "expander"));
    }

    public Block getEncoder() {
        return encoder;
    }

    public Block getExpander() {
        return expander;
    }

    /**
     * The official expander scaled by the given sizes: (Linear-BatchNorm-ReLU) for every size but
     * the last, then Linear without bias, e.g. 512-512-512.
     */
    public static SequentialBlock expander(List<Integer> sizes) {
        if (sizes.isEmpty()) {
            throw new IllegalArgumentException("the expander needs at least one layer");
        }
        SequentialBlock b = new SequentialBlock();
        for (int i = 0; i < sizes.size() - 1; i++) {
            b.add(Linear.builder().setUnits(sizes.get(i)).build()).add(BatchNorm.builder().build()).add(Activation.reluBlock());
        }
        return b.add(Linear.builder().setUnits(sizes.get(sizes.size() - 1)).optBias(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException("the network takes two views, got " + inputs.size() + " input arrays");
        }
        NDList y0 = encoder.forward(store, new NDList(inputs.get(0)), training, params);
        NDList y1 = encoder.forward(store, new NDList(inputs.get(1)), training, params);
        NDList z0 = expander.forward(store, y0, training, params);
        NDList z1 = expander.forward(store, y1, training, params);
        return new NDList(z0.singletonOrThrow(), z1.singletonOrThrow(), y0.singletonOrThrow(), y1.singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] y = encoder.getOutputShapes(new Shape[] {inputShapes[0]});
        Shape[] z = expander.getOutputShapes(y);
        return new Shape[] {z[0], z[0], y[0], y[0]};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes[0]);
        Shape[] y = encoder.getOutputShapes(new Shape[] {inputShapes[0]});
        expander.initialize(manager, dataType, y);
    }
}
