package org.embreg.loss;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic with a constant on the autograd graph, safe for backward.
 *
 * <p>DJL 0.35's PyTorch engine implements {@code x.mul(2.0)} (and div, maximum, pow with a Number)
 * by wrapping the number in an array that borrows a direct buffer and closing that array right
 * after the op, while autograd keeps the tensor for the backward pass; once the garbage collector
 * frees the buffer, backward reads freed memory and the gradient is silently wrong. These helpers
 * make the constant an array that owns its memory (a copy made by the engine), so autograd holds a
 * valid tensor. Use them for every constant in a differentiable loss.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d array of {@code like}'s type on its manager, owning its memory. */
    public static NDArray of(NDArray like, double value) {
        if (like.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32) {
            // one engine call, and the engine allocates it (the value rounds to float32 as the cast below would)
            return like.getManager().full(new ai.djl.ndarray.types.Shape(), (float) value, ai.djl.ndarray.types.DataType.FLOAT32);
        }
        try (NDArray borrowed = like.getManager().create(value)) {
            // toType(type, true) returns an alias when the type already matches; duplicate() copies
            return borrowed.getDataType() == like.getDataType() ? borrowed.duplicate() : borrowed.toType(like.getDataType(), false);
        }
    }

    /** x * v. */
    public static NDArray mul(NDArray x, double v) {
        return x.mul(of(x, v));
    }

    /** x / v. */
    public static NDArray div(NDArray x, double v) {
        return x.div(of(x, v));
    }

    /** x + v. */
    public static NDArray add(NDArray x, double v) {
        return x.add(of(x, v));
    }

    /** v - x. */
    public static NDArray subtractFrom(double v, NDArray x) {
        return of(x, v).sub(x);
    }

    /**
     * The values of scalar (0-d or one-element) arrays, read from the engine in one transfer
     * instead of one per array. The arrays are not modified or closed; the temporaries this makes
     * are closed before it returns.
     */
    public static double[] read(java.util.List<NDArray> scalars) {
        double[] out = new double[scalars.size()];
        if (scalars.isEmpty()) {
            return out;
        }
        ai.djl.ndarray.types.DataType type = scalars.get(0).getDataType();
        boolean same = scalars.stream().allMatch(a -> a.getDataType() == type);
        java.util.List<NDArray> temporaries = new java.util.ArrayList<>();
        try {
            ai.djl.ndarray.NDList list = new ai.djl.ndarray.NDList(scalars.size());
            for (NDArray a : scalars) {
                NDArray v = a;
                if (a.getShape().dimension() != 0) {
                    v = a.reshape();
                    temporaries.add(v);
                }
                if (!same) {
                    v = v.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                    temporaries.add(v);
                }
                list.add(v);
            }
            NDArray stacked = ai.djl.ndarray.NDArrays.stack(list);
            temporaries.add(stacked);
            if (stacked.getDataType() != ai.djl.ndarray.types.DataType.FLOAT64) {
                stacked = stacked.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
                temporaries.add(stacked);
            }
            System.arraycopy(stacked.toDoubleArray(), 0, out, 0, out.length);
        } finally {
            for (NDArray t : temporaries) {
                t.close();
            }
        }
        return out;
    }

    /** max(x, v) elementwise, with the gradient of x where x &gt; v and 0 elsewhere (a clamp). */
    public static NDArray atLeast(NDArray x, double v) {
        return x.clip(v, Double.POSITIVE_INFINITY);
    }
}
