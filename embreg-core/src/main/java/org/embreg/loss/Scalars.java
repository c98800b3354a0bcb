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

    /** max(x, v) elementwise, with the gradient of x where x &gt; v and 0 elsewhere (a clamp). */
    public static NDArray atLeast(NDArray x, double v) {
        return x.clip(v, Double.POSITIVE_INFINITY);
    }
}
