package org.embreg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Batches of standard normal noise (a generator's input), drawn on the host from a seeded generator; no labels. */
public final class NoiseBatches implements BatchSource {
    private final Shape shape;
    private final Random random;
    private final float[] values;

    /**
     * @param shape of each batch, e.g. (512, 256)
     * @param seed seeds the generator
     */
    public NoiseBatches(Shape shape, long seed) {
        this.shape = shape;
        this.random = new Random(seed);
        this.values = new float[Math.toIntExact(shape.size())];
    }

    @Override
    public StepBatch next(NDManager scope) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return new StepBatch(new NDList(scope.create(values, shape)), new NDList());
    }
}
