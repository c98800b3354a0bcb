package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.experiments.model.Embedder;

/** An encoder's representations of images, in inference mode (batch normalization with its running statistics). */
final class Representations {
    private static final int CHUNK = 500;

    private Representations() {}

    /** N x r representations; every array lives on a scope closed here. */
    static Matrix of(Block encoder, ImageSet images, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        return Embedder.embed(manager, images, CHUNK, x -> encoder.forward(store, new NDList(x), false).singletonOrThrow());
    }

    /** The raw pixels as an N x (h w) matrix. */
    static Matrix pixels(ImageSet images) {
        return new Matrix(images.pixels(), images.size(), images.height() * images.width());
    }
}
