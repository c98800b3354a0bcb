package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/** Operations on embedding batches shared by the losses. Pure functions on the autograd graph. */
public final class Embeddings {
    private Embeddings() {}

    /** Smallest row norm used when normalizing, as in torch.nn.functional.normalize. */
    public static final double NORM_EPS = 1e-12;

    /** Rows scaled to unit L2 norm (rows of norm below 1e-12 are divided by 1e-12). */
    public static NDArray l2NormalizeRows(NDArray e) {
        return e.normalize(2, 1, NORM_EPS);
    }

    /** Squared distances below this count as this, with a zero gradient (see {@link #distancesFromSquared}). */
    public static final double MIN_SQUARED_DISTANCE = 1e-16;

    /**
     * Squared Euclidean distances between all rows, b x b, from the differences themselves (not
     * |x|^2 + |y|^2 - 2 x.y, whose rounding swamps small distances and their gradients). Costs a
     * b x b x d intermediate; {@link #squaredDistancesWithHostCopy(NDArray)} avoids it when it can.
     *
     * @param e b x d
     * @return b x b
     */
    public static NDArray squaredDistances(NDArray e) {
        return e.expandDims(1).sub(e.expandDims(0)).square().sum(new int[] {2});
    }

    /**
     * Squared Euclidean distances between all rows, b x b, with an exact zero diagonal. Uses the
     * Gram form |x_i|^2 + |x_j|^2 - 2 x_i.x_j (one matrix product) when every pair of distinct rows
     * is far enough apart for its rounding not to matter (|x_i - x_j|^2 above 1e-3 (float32) or 1e-8
     * (float64) times |x_i|^2 + |x_j|^2), and the differences themselves otherwise (near-duplicate
     * rows, as in a collapsing embedding; always for half precision). Either way the values and
     * their gradients agree with {@link #squaredDistances(NDArray)} to within the type's rounding.
     *
     * @param e b x d
     * @return the b x b values on the graph and the same values on the host
     */
    public static SquaredDistances squaredDistancesWithHostCopy(NDArray e) {
        double tolerance = switch (e.getDataType()) {
            case FLOAT64 -> 1e-8;
            case FLOAT32 -> 1e-3;
            default -> Double.NaN;
        };
        int b = (int) e.getShape().get(0);
        if (!Double.isNaN(tolerance)) {
            NDArray norms = e.square().sum(new int[] {1}, true);
            NDArray gram = e.matMul(e.transpose());
            NDManager manager = e.getManager();
            NDArray offDiagonal = manager.eye(b).toType(e.getDataType(), false);
            offDiagonal = Scalars.subtractFrom(1, offDiagonal);
            NDArray squared = norms.add(norms.transpose()).sub(Scalars.mul(gram, 2)).mul(offDiagonal);
            double[] host = squared.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            double[] n = norms.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            boolean far = true;
            for (int i = 0; i < b && far; i++) {
                for (int j = i + 1; j < b; j++) {
                    if (host[i * b + j] <= tolerance * (n[i] + n[j])) {
                        far = false;
                        break;
                    }
                }
            }
            if (far) {
                return new SquaredDistances(squared, host);
            }
        }
        NDArray squared = squaredDistances(e);
        return new SquaredDistances(squared, squared.stopGradient().toType(DataType.FLOAT64, false).toDoubleArray());
    }

    /**
     * Squared distances between all rows.
     *
     * @param values b x b on the graph
     * @param host the same values, row-major, on the host
     */
    public record SquaredDistances(NDArray values, double[] host) {}

    /**
     * Euclidean distances from squared ones; squared distances below 1e-16 count as 1e-16 with a
     * zero gradient, so identical rows give a finite (zero) gradient instead of NaN.
     */
    public static NDArray distancesFromSquared(NDArray squared) {
        return Scalars.atLeast(squared, MIN_SQUARED_DISTANCE).sqrt();
    }
}
