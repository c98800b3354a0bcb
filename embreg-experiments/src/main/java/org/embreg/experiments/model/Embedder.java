package org.embreg.experiments.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;

/** Runs a network over a set of images in chunks and collects its N x d outputs on the host. */
public final class Embedder {
    private Embedder() {}

    /**
     * @param manager the parent of the scope each chunk's arrays live on (closed per chunk)
     * @param images the images, (chunk, 1, h, w) at a time
     * @param chunk images per forward pass
     * @param network a batch of images to a batch of outputs (b x d), in inference mode
     */
    public static Matrix embed(NDManager manager, ImageSet images, int chunk, UnaryOperator<NDArray> network) {
        int n = images.size();
        int px = images.height() * images.width();
        float[] out = null;
        int dim = -1;
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(Arrays.copyOfRange(images.pixels(), start * px, end * px), new Shape(end - start, 1, images.height(),
                        images.width()));
                NDArray e = network.apply(x);
                float[] v = e.toFloatArray();
                if (out == null) {
                    dim = (int) e.getShape().get(1);
                    out = new float[n * dim];
                }
                System.arraycopy(v, 0, out, start * dim, v.length);
            }
        }
        return new Matrix(out, n, dim);
    }
}
