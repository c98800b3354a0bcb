package org.embreg.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalDouble;

/**
 * Operations on embedding batches shared by the losses: row normalization on the autograd graph,
 * and the host route by which a loss computed on the host, in double, enters the graph with its
 * exact gradient ({@link #withGradient}).
 */
public final class Embeddings {
    private Embeddings() {}

    /** Smallest row norm used when normalizing, as in torch.nn.functional.normalize. */
    public static final double NORM_EPS = 1e-12;

    /** Rows scaled to unit L2 norm (rows of norm below 1e-12 are divided by 1e-12). */
    public static NDArray l2NormalizeRows(NDArray e) {
        return e.normalize(2, 1, NORM_EPS);
    }

    /**
     * The row norms of a host matrix as torch's normalize uses them: max(|e_i|, 1e-12).
     *
     * @param norms each row's norm, floored at {@link #NORM_EPS}
     * @param clamped whether the row's norm was at or below the floor (its normalization is then a plain division)
     */
    public record RowNorms(double[] norms, boolean[] clamped) {
        /** From each row's squared norm. */
        public static RowNorms ofSquared(double[] squared) {
            double[] norms = new double[squared.length];
            boolean[] clamped = new boolean[squared.length];
            for (int i = 0; i < squared.length; i++) {
                double norm = Math.sqrt(squared[i]);
                clamped[i] = !(norm > NORM_EPS);
                norms[i] = clamped[i] ? NORM_EPS : norm;
            }
            return new RowNorms(norms, clamped);
        }

        /** Normalizes the rows of a row-major b x dim host matrix in place and returns their norms. */
        public static RowNorms normalize(double[] rows, int b) {
            int dim = rows.length / b;
            double[] squared = new double[b];
            for (int i = 0; i < b; i++) {
                double s = 0;
                for (int c = 0; c < dim; c++) {
                    s += rows[i * dim + c] * rows[i * dim + c];
                }
                squared[i] = s;
            }
            RowNorms n = ofSquared(squared);
            for (int i = 0; i < b; i++) {
                double inverse = 1 / n.norms[i];
                for (int c = 0; c < dim; c++) {
                    rows[i * dim + c] *= inverse;
                }
            }
            return n;
        }

        /**
         * Turns h = dL/dX into dL/dE in place, through x_i = e_i / |e_i|: (h_i - x_i (x_i . h_i)) / |e_i|,
         * or h_i / 1e-12 for a clamped row.
         *
         * @param x the normalized rows, row-major b x dim
         * @param h the gradient with respect to x, row-major b x dim; overwritten
         */
        public void backThroughNormalization(double[] x, double[] h) {
            int b = norms.length;
            int dim = x.length / b;
            for (int i = 0; i < b; i++) {
                double dot = 0;
                if (!clamped[i]) {
                    for (int c = 0; c < dim; c++) {
                        dot += x[i * dim + c] * h[i * dim + c];
                    }
                }
                double inverse = 1 / norms[i];
                for (int c = 0; c < dim; c++) {
                    h[i * dim + c] = (h[i * dim + c] - dot * x[i * dim + c]) * inverse;
                }
            }
        }
    }

    /**
     * A value computed off the graph entering it with a given gradient: {@code a + c} with {@code a = sum(input *
     * gradient)} and a constant c for which a + c is the value (rounded to input's type), checked on the host in that
     * type's arithmetic (the engine's addition of two scalars rounds the same way); its gradient with respect to input
     * is {@code gradient}, and backward passes through three nodes. Where no such c is found (a far larger than the
     * value), off the CPU (where reading a would wait for the device) or for a type other than float32 and float64,
     * {@code value + (a - stopGradient(a))}, one node more. Where the gradient passes through a row normalization it
     * is orthogonal to each row and a is rounding noise; elsewhere (SVMax's vanilla form, the ranking losses, which
     * are homogeneous in the rows) a is of the value's size; either way c exists.
     *
     * @param input the array on the graph (float32 or float64)
     * @param gradient dL/d(input), of input's shape and type, off the graph
     * @param value L
     */
    public static NDArray withGradient(NDArray input, NDArray gradient, double value) {
        NDArray a = input.mul(gradient).sum();
        DataType type = a.getDataType();
        if (Device.cpu().equals(a.getDevice()) && (type == DataType.FLOAT32 || type == DataType.FLOAT64)) {
            // a's value where the engine keeps it (getFloat would index and copy it first)
            ByteBuffer read = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
            OptionalDouble c = type == DataType.FLOAT64 ? complement(read.getDouble(0), value) : complement(read.getFloat(0), (float) value);
            if (c.isPresent()) {
                return Scalars.add(a, c.getAsDouble());
            }
        }
        return Scalars.add(a.sub(a.stopGradient()), value);
    }

    /** A double c with a + c == value in double arithmetic, if one is near value - a. */
    static OptionalDouble complement(double a, double value) {
        double c = value - a;
        for (double candidate : new double[] {c, Math.nextUp(c), Math.nextDown(c)}) {
            if (a + candidate == value && Double.isFinite(candidate)) {
                return OptionalDouble.of(candidate);
            }
        }
        return OptionalDouble.empty();
    }

    /** A float c with a + c == value in float arithmetic, if one is near value - a. */
    static OptionalDouble complement(float a, float value) {
        float c = (float) ((double) value - a);
        for (float candidate : new float[] {c, Math.nextUp(c), Math.nextDown(c)}) {
            if (a + candidate == value && Float.isFinite(candidate)) {
                return OptionalDouble.of(candidate);
            }
        }
        return OptionalDouble.empty();
    }

    /** The embeddings as a host-computed loss reads them: float32 or float64 as they are, half precision in float32. */
    public static NDArray hostPrecision(NDArray e) {
        DataType t = e.getDataType();
        return t == DataType.FLOAT32 || t == DataType.FLOAT64 ? e : e.toType(DataType.FLOAT32, false);
    }

    /** A result computed from {@link #hostPrecision}'s array, in the embeddings' own type. */
    public static NDArray inTypeOf(NDArray result, NDArray e) {
        return result.getDataType() == e.getDataType() ? result : result.toType(e.getDataType(), false);
    }

    /** A host matrix as an array of {@code like}'s type (float32 or float64) on its manager. */
    public static NDArray hostMatrix(NDArray like, double[] values, Shape shape) {
        return hostMatrix(like, values, shape, like.getDataType() == DataType.FLOAT64 ? null : new float[values.length]);
    }

    /**
     * {@link #hostMatrix(NDArray, double[], Shape)} through a caller's float array for the rounded values (unused for
     * float64), so that a caller that repeats one shape does not take fresh memory each time.
     *
     * @param scratch values.length floats, overwritten; may be null for float64
     */
    public static NDArray hostMatrix(NDArray like, double[] values, Shape shape, float[] scratch) {
        if (like.getDataType() == DataType.FLOAT64) {
            return like.getManager().create(values, shape);
        }
        if (scratch.length != values.length) {
            throw new IllegalArgumentException("a scratch array of " + scratch.length + " floats for " + values.length + " values");
        }
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = (float) values[i];
        }
        return hostMatrix(like, scratch, shape);
    }

    /**
     * A float32 host matrix as an engine array on {@code like}'s manager. On the CPU it is written where the engine
     * keeps it: the engine allocates it, and {@code toByteBuffer(true)} of a dense CPU array is its memory (creating
     * it from a Java array would copy it into a new direct buffer that only the garbage collector frees). Elsewhere
     * (a GPU, or DJL's MKLDNN layout, where that buffer is a copy) it is created from the values.
     */
    public static NDArray hostMatrix(NDArray like, float[] values, Shape shape) {
        if (!Device.cpu().equals(like.getDevice()) || Boolean.getBoolean(MKLDNN_PROPERTY)) {
            return like.getManager().create(values, shape);
        }
        NDArray out = like.getManager().create(shape, DataType.FLOAT32);
        out.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().put(values);
        return out;
    }

    /** DJL's switch for MKLDNN tensors on the CPU, whose byte buffer is a dense copy. */
    static final String MKLDNN_PROPERTY = "ai.djl.pytorch.use_mkldnn";

    /** The values of a float32 or float64 array, as doubles, read where the engine keeps them (one transfer). */
    public static double[] hostValues(NDArray a) {
        return hostValues(a, new double[Math.toIntExact(a.size())]);
    }

    /**
     * {@link #hostValues(NDArray)} into a caller's array (of the array's size), which it returns.
     */
    public static double[] hostValues(NDArray a, double[] out) {
        if (out.length != a.size()) {
            throw new IllegalArgumentException("an array of " + out.length + " values for " + a.size());
        }
        ByteBuffer buffer = a.toByteBuffer(true).order(ByteOrder.nativeOrder());
        if (a.getDataType() == DataType.FLOAT64) {
            buffer.asDoubleBuffer().get(out);
            return out;
        }
        java.nio.FloatBuffer f = buffer.asFloatBuffer();
        for (int i = 0; i < out.length; i++) {
            out[i] = f.get(i);
        }
        return out;
    }
}
