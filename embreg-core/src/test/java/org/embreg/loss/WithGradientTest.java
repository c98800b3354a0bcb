package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** A host value enters the graph with exactly its value (in the input's type) and exactly the given gradient. */
class WithGradientTest {
    /** Gradients whose sum(input * gradient) is tiny, of the value's size, and far larger than the value (the fallback). */
    @Test
    void theValueIsExactAndTheGradientIsTheGivenOne() {
        double[] values = {0.7234987123, -3.25e-3, 1.0 / 3, 12345.678};
        double[] scales = {1e-9, 1, 1e12};
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            for (double value : values) {
                for (double scale : scales) {
                    try (NDManager m = NDManager.newBaseManager()) {
                        java.util.Random r = new java.util.Random(7);
                        double[] x = r.doubles(60).toArray();
                        double[] g = r.doubles(60).map(v -> (v - 0.5) * scale).toArray();
                        NDArray input = m.create(x, new Shape(6, 10)).toType(type, false);
                        NDArray gradient = m.create(g, new Shape(6, 10)).toType(type, false);
                        input.setRequiresGradient(true);
                        double got;
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            NDArray out = Embeddings.withGradient(input, gradient, value);
                            assertEquals(type, out.getDataType());
                            got = type == DataType.FLOAT32 ? out.getFloat() : out.getDouble();
                            gc.backward(out);
                        }
                        double want = type == DataType.FLOAT32 ? (float) value : value;
                        String where = type + " value " + value + " scale " + scale;
                        assertEquals(want, got, 0.0, where);
                        assertArrayEquals(gradient.toType(DataType.FLOAT64, false).toDoubleArray(),
                                input.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(), 0.0, where);
                    }
                }
            }
        }
    }

    @Test
    void aComplementIsFoundWhereTheSumIsNearTheValueAndNotWhereItIsFarLarger() {
        assertTrue(Embeddings.complement(1e-7f, 0.75f).isPresent());
        assertTrue(Embeddings.complement(0.74f, 0.75f).isPresent());
        assertTrue(Embeddings.complement(3e-17, 1.0 / 3).isPresent());
        // a float a = 1e7 cannot carry 0.75's bits: a + c lands on a multiple of 1 at best
        assertTrue(Embeddings.complement(1e7f, 0.75f).isEmpty());
        float c = (float) Embeddings.complement(-2.5e-5f, 0.123456f).getAsDouble();
        assertEquals(0.123456f, -2.5e-5f + c, 0.0f);
    }
}
