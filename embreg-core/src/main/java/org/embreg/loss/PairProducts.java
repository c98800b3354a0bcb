package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;

/**
 * Where a ranking loss forms its two products of the b x d embeddings E: the Gram matrix R = E E^T (at the pairs the
 * loss reads) and, for the gradient, F E with the b x b matrix F the loss formed on the host.
 *
 * <p>On the engine ({@link OnEngine}): R in full, F E in full, as two engine products. On the host ({@link OnHost}, for a
 * loss that reads only rows x columns of two disjoint sets of rows ({@link PairLoss.Block}: N-pair's anchors x
 * positives), float32 on the CPU, up to {@link PairLoss#HOST_PRODUCT_LIMIT}): E read once where the engine keeps it, only the block of R (a quarter
 * of it) and of F E (half of it), by {@link HostMath#multiply} (near the core's peak, with no engine call); one engine
 * array, F E, comes back. For a loss that reads all pairs the host gains nothing: its single thread forms the two full
 * products in about the time the engine's two threads take with their calls (measured alternated in one process,
 * contrastive 306-376 us a step against 272-329 on the engine, lifted 718-928 against 553-747).
 */
abstract class PairProducts {
    /** b. */
    final int b;
    /** d. */
    final int dim;

    private PairProducts(NDArray e) {
        this.b = Math.toIntExact(e.getShape().get(0));
        this.dim = Math.toIntExact(e.getShape().get(1));
    }

    /** R_ij = e_i . e_j at the pairs the layout holds and on the diagonal, in its layout (the host needs a block). */
    abstract double[] gram(PairLayout layout);

    /** F E as an engine array of E's type off the graph; F symmetric, in the layout (zero outside it; the host needs a block). */
    abstract NDArray times(double[] factor, PairLayout layout);

    /** E's rows as doubles, row-major b x d. */
    abstract double[] rows();

    /** The engine's products: two engine calls, whatever the block. */
    static final class OnEngine extends PairProducts {
        private final NDArray e;

        OnEngine(NDArray e) {
            super(e);
            this.e = e;
        }

        @Override
        double[] gram(PairLayout layout) {
            return layout.fromFull(Embeddings.hostValues(e.matMul(e.transpose())));
        }

        @Override
        NDArray times(double[] factor, PairLayout layout) {
            return Embeddings.hostMatrix(e, layout.toFull(factor), new Shape(b, b)).matMul(e);
        }

        @Override
        double[] rows() {
            return Embeddings.hostValues(e);
        }
    }

    /** Float32 products of a block on the host, with {@link HostMath#multiply}. */
    static final class OnHost extends PairProducts {
        private final NDArray like;
        private final HostMath math;
        private final float[] values;
        /** The block's rows and columns of E (row-major), kept from {@link #gram} for {@link #times}. */
        private float[] blockRows;
        private float[] blockColumns;

        OnHost(NDArray e, HostMath math) {
            super(e);
            if (e.getDataType() != DataType.FLOAT32) {
                throw new IllegalArgumentException("host products are float32; got " + e.getDataType());
            }
            this.like = e;
            this.math = math;
            this.values = new float[b * dim];
            e.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
        }

        @Override
        double[] gram(PairLayout layout) {
            PairLoss.Block block = layout.block();
            int[] rows = block.rows();
            int[] columns = block.columns();
            double[] r = new double[layout.size()];
            float[] product = new float[rows.length * columns.length];
            blockRows = gathered(rows);
            blockColumns = gathered(columns);
            math.multiply(blockRows, transposed(blockColumns), product, rows.length, dim, columns.length);
            for (int k = 0; k < product.length; k++) {
                r[k] = product[k];
            }
            // the diagonal: each row's squared norm, summed in double, infinite where float32 overflows (as the engine's
            // product would be, so that the loss refuses the row; below that no float32 product of the block overflows)
            for (int i = 0; i < b; i++) {
                double squared = squaredNorm(i);
                r[layout.diagonal(i)] = Float.isInfinite((float) squared) ? Double.POSITIVE_INFINITY : squared;
            }
            return r;
        }

        @Override
        NDArray times(double[] factor, PairLayout layout) {
            PairLoss.Block block = layout.block();
            int[] rows = block.rows();
            int[] columns = block.columns();
            int m = rows.length;
            int n = columns.length;
            float[] f = new float[m * n];
            float[] ft = new float[n * m];
            for (int k = 0; k < m; k++) {
                for (int l = 0; l < n; l++) {
                    float v = (float) factor[k * n + l];
                    f[k * n + l] = v;
                    ft[l * m + k] = v;
                }
            }
            float[] toRows = new float[m * dim];
            float[] toColumns = new float[n * dim];
            math.multiply(f, blockColumns != null ? blockColumns : gathered(columns), toRows, m, n, dim);
            math.multiply(ft, blockRows != null ? blockRows : gathered(rows), toColumns, n, m, dim);
            // row i of F E: its part of the block's products (the two sets do not meet) plus F_ii e_i
            float[] g = new float[b * dim];
            boolean[] done = new boolean[b];
            place(toRows, rows, factor, layout, g, done);
            place(toColumns, columns, factor, layout, g, done);
            for (int i = 0; i < b; i++) {
                if (!done[i]) {
                    float fii = (float) factor[layout.diagonal(i)];
                    for (int c = 0; c < dim; c++) {
                        g[i * dim + c] = fii * values[i * dim + c];
                    }
                }
            }
            return Embeddings.hostMatrix(like, g, new Shape(b, dim));
        }

        @Override
        double[] rows() {
            double[] out = new double[values.length];
            for (int k = 0; k < out.length; k++) {
                out[k] = values[k];
            }
            return out;
        }

        /** |e_i|^2 in double (each square exact), in four running sums. */
        private double squaredNorm(int i) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int from = i * dim;
            int c = 0;
            for (; c + 4 <= dim; c += 4) {
                double v0 = values[from + c];
                double v1 = values[from + c + 1];
                double v2 = values[from + c + 2];
                double v3 = values[from + c + 3];
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
            }
            for (; c < dim; c++) {
                double v = values[from + c];
                s0 += v * v;
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** The given rows of E, row-major rows.length x d. */
        private float[] gathered(int[] rows) {
            float[] out = new float[rows.length * dim];
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(values, rows[k] * dim, out, k * dim, dim);
            }
            return out;
        }

        /** A row-major n x d matrix as columns, row-major d x n. */
        private float[] transposed(float[] rows) {
            int n = rows.length / dim;
            float[] out = new float[dim * n];
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < dim; c++) {
                    out[c * n + k] = rows[k * dim + c];
                }
            }
            return out;
        }

        /** Row k of a rows.length x d part plus F_ii e_i, as row i = rows[k] of g. */
        private void place(float[] part, int[] rows, double[] factor, PairLayout layout, float[] g, boolean[] done) {
            for (int k = 0; k < rows.length; k++) {
                int i = rows[k];
                float fii = (float) factor[layout.diagonal(i)];
                for (int c = 0; c < dim; c++) {
                    g[i * dim + c] = Math.fma(fii, values[i * dim + c], part[k * dim + c]);
                }
                done[i] = true;
            }
        }
    }
}
