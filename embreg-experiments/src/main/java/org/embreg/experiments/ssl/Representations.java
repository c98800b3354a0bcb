package org.embreg.experiments.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;

/** An encoder's representations of images, in inference mode (batch normalization with its running statistics). */
final class Representations {
    private static final int CHUNK = 500;

    private Representations() {}

    /** N x r representations; every array lives on a scope closed here. */
    static Matrix of(Block encoder, ImageSet images, NDManager manager) {
        int n = images.size();
        int px = images.height() * images.width();
        float[] out = null;
        int dim = -1;
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(scope, false);
            for (int start = 0; start < n; start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray x = chunk.create(Arrays.copyOfRange(images.pixels(), start * px, end * px),
                            new Shape(end - start, 1, images.height(), images.width()));
                    NDArray y = encoder.forward(store, new NDList(x), false).singletonOrThrow();
                    float[] v = y.toFloatArray();
                    if (out == null) {
                        dim = (int) y.getShape().get(1);
                        out = new float[n * dim];
                    }
                    System.arraycopy(v, 0, out, start * dim, v.length);
                }
            }
        }
        return new Matrix(out, n, dim);
    }

    /** The raw pixels as an N x (h w) matrix. */
    static Matrix pixels(ImageSet images) {
        return new Matrix(images.pixels(), images.size(), images.height() * images.width());
    }
}
