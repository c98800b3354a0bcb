package org.embreg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.embreg.NonFiniteException;

/**
 * Base of the ranking losses on L2-normalized embeddings (pytorch-metric-learning's
 * GenericPairLoss). Every such loss is a function of the Gram matrix S = X X^T of the normalized
 * rows X (distances included: D_ij^2 = S_ii + S_jj - 2 S_ij), and S = N^-1 R N^-1 with R = E E^T
 * and N = diag(max(|e_i|, 1e-12)), the normalization of torch's {@code normalize}. So the engine
 * computes R, one transfer brings it to the host, and there, in double, the rows are normalized and
 * the loss computes its value L and its exact gradient with respect to S (and D) on a
 * {@link Batch} of host arrays. The chain rule through N gives dL/dE = F E with a b x b matrix F
 * formed on the host; the engine forms F E off the graph, and the result enters the graph as
 * {@code L + (a - stopGradient(a))} with {@code a = sum(E * stopGradient(F E))}: its value is L and
 * its gradient F E. A step costs about fifteen engine calls and two b x b x d products whatever the
 * loss, and backward passes through four elementwise nodes, where a formula on the graph costs one
 * call or more per operation, each with its backward. A loss that reads only rows x columns of two
 * disjoint sets of rows declares that {@link Block} (N-pair: anchors x positives); its S, dL/dS and
 * F are then kept per pair of the block ({@link PairLayout}), and for a small float32 batch on the
 * CPU the host forms only the block's products ({@link PairProducts}).
 *
 * <p>Distances: the Gram form rounds badly for near-duplicate rows (|x_i - x_j|^2 at or below
 * 1e-3 (float32) or 1e-8 (float64) times |x_i|^2 + |x_j|^2); those pairs are measured by their
 * differences on a host copy of X, and their gradient g (x_i - x_j) / D_ij is added directly
 * (through the normalization). Squared distances below 1e-16 count as 1e-16 with a zero gradient,
 * so identical rows give a finite (zero) gradient instead of NaN. Half-precision embeddings are
 * multiplied in float32. Non-finite inputs are found on the host, in R's diagonal.
 */
public abstract class PairLoss extends EmbeddingLoss {
    /** Squared distances below this count as this, with a zero gradient. */
    static final double MIN_SQUARED_DISTANCE = 1e-16;

    /**
     * One batch as the ranking losses see it, on the host: the labels, the similarities S_ij =
     * x_i . x_j and distances D_ij = |x_i - x_j| of the normalized rows, and the gradient the loss
     * accumulates with respect to them.
     */
    protected static final class Batch {
        private final int b;
        private final int[] labels;
        private final double[] similarities;
        private final double tolerance;
        private final PairProducts products;
        private final double[] norms;
        /** Where S and dL/dS live. */
        private final PairLayout layout;
        /** Whether the layout is a block's (else b x b: the hot paths index it directly). */
        private final boolean compact;
        /** dL/dS, in the layout (with a block, one entry per pair: dL/dS_ij + dL/dS_ji). */
        private final double[] similarityGradient;
        private double[] distanceGradient;
        private double[] rows;
        /** Every pair's squared distance and whether it was measured by its difference, once {@link #distances} ran. */
        private double[] allSquared;
        private boolean[] allNear;

        Batch(PairProducts products, double[] norms, double[] similarities, int[] labels, double tolerance, PairLayout layout) {
            this.products = products;
            this.norms = norms;
            this.similarities = similarities;
            this.labels = labels;
            this.b = labels.length;
            this.tolerance = tolerance;
            this.layout = layout;
            this.compact = layout.block() != null;
            this.similarityGradient = new double[layout.size()];
        }

        /** The b labels. */
        public int[] labels() {
            return labels;
        }

        public int size() {
            return b;
        }

        /** x_i . x_j of the normalized rows. */
        public double similarity(int i, int j) {
            return similarities[compact ? layout.at(i, j) : i * b + j];
        }

        /** |x_i - x_j| of the normalized rows, at least 1e-8 (so 1e-8 for i = j). */
        public double distance(int i, int j) {
            return Math.sqrt(Math.max(squaredDistance(i, j), MIN_SQUARED_DISTANCE));
        }

        /** All distances, row-major b x b (see {@link #distance}); the batch keeps their squares for the gradient. */
        public double[] distances() {
            if (allSquared == null) {
                if (layout.block() != null) {
                    throw new IllegalStateException("the loss reads all distances, outside the block of rows x columns it declared");
                }
                allSquared = new double[b * b];
                allNear = new boolean[b * b];
                for (int i = 0; i < b; i++) {
                    for (int j = i + 1; j < b; j++) {
                        boolean close = near(i, j);
                        double squared = close ? exactSquaredDistance(i, j) : gramSquaredDistance(i, j);
                        allSquared[i * b + j] = squared;
                        allSquared[j * b + i] = squared;
                        allNear[i * b + j] = close;
                        allNear[j * b + i] = close;
                    }
                }
            }
            double[] d = new double[b * b];
            for (int k = 0; k < d.length; k++) {
                d[k] = Math.sqrt(Math.max(allSquared[k], MIN_SQUARED_DISTANCE));
            }
            return d;
        }

        /** Copies row k of the declared block, S(rows[k], columns[l]) for each l, into out. */
        void blockRow(int k, double[] out) {
            int n = requireBlockOf(out.length);
            System.arraycopy(similarities, k * n, out, 0, n);
        }

        /** Adds scale * g[l] to dL/dS(rows[k], columns[l]) for each column l of the declared block. */
        void addBlockRow(int k, double[] g, double scale) {
            int n = requireBlockOf(g.length);
            for (int l = 0; l < n; l++) {
                similarityGradient[k * n + l] += scale * g[l];
            }
        }

        /** n, when the loss declared a block of n columns (a row of it is n entries of the layout). */
        private int requireBlockOf(int n) {
            if (!compact || layout.block().columns().length != n) {
                throw new IllegalStateException("a block row needs a declared block of " + n + " columns");
            }
            return n;
        }

        /** Adds g to dL/dS_ij. */
        public void addSimilarityGradient(int i, int j, double g) {
            similarityGradient[compact ? layout.at(i, j) : i * b + j] += g;
        }

        /** Adds g to dL/dD_ij. */
        public void addDistanceGradient(int i, int j, double g) {
            if (compact) {
                // refuses a pair outside the block
                layout.at(i, j);
            }
            if (distanceGradient == null) {
                distanceGradient = new double[b * b];
            }
            distanceGradient[i * b + j] += g;
        }

        /** The squared distance from the Gram form, or from the differences where that would round badly. */
        private double squaredDistance(int i, int j) {
            if (i == j) {
                return 0;
            }
            if (allSquared != null) {
                return allSquared[i * b + j];
            }
            return near(i, j) ? exactSquaredDistance(i, j) : gramSquaredDistance(i, j);
        }

        /** Whether the pair is measured by its difference (see {@link #near}), from what {@link #distances} kept where it ran. */
        private boolean measuredByDifference(int i, int j) {
            return allNear != null ? allNear[i * b + j] : near(i, j);
        }

        /** S_ii + S_jj - 2 S_ij, at least 0. */
        private double gramSquaredDistance(int i, int j) {
            return Math.max(0, diagonal(i) + diagonal(j) - 2 * similarities[compact ? layout.index(i, j) : i * b + j]);
        }

        /** S_ii. */
        private double diagonal(int i) {
            return similarities[compact ? layout.diagonal(i) : i * b + i];
        }

        /** Whether the Gram form's rounding could swamp the distance of rows i and j. */
        private boolean near(int i, int j) {
            return gramSquaredDistance(i, j) <= tolerance * (diagonal(i) + diagonal(j));
        }

        private double exactSquaredDistance(int i, int j) {
            double[] x = rows();
            int dim = x.length / b;
            double s = 0;
            for (int k = 0; k < dim; k++) {
                double t = x[i * dim + k] - x[j * dim + k];
                s += t * t;
            }
            return s;
        }

        private double[] rows() {
            if (rows == null) {
                rows = products.rows();
                int dim = rows.length / b;
                for (int i = 0; i < rows.length; i++) {
                    rows[i] /= norms[i / dim];
                }
            }
            return rows;
        }

        /**
         * Folds dL/dD into dL/dS (pairs measured by the Gram form) and into a host b x dim gradient
         * with respect to X (pairs measured by their differences); null when there are none of the latter.
         */
        double[] foldDistanceGradient() {
            if (distanceGradient == null) {
                return null;
            }
            double[] direct = null;
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < b; j++) {
                    double g = distanceGradient[i * b + j];
                    if (g == 0 || i == j) {
                        continue;
                    }
                    boolean close = measuredByDifference(i, j);
                    double squared = squaredDistance(i, j);
                    if (squared < MIN_SQUARED_DISTANCE) {
                        continue;
                    }
                    double d = Math.sqrt(squared);
                    if (close) {
                        double[] x = rows();
                        int dim = x.length / b;
                        direct = direct == null ? new double[x.length] : direct;
                        double c = g / d;
                        for (int k = 0; k < dim; k++) {
                            double t = c * (x[i * dim + k] - x[j * dim + k]);
                            direct[i * dim + k] += t;
                            direct[j * dim + k] -= t;
                        }
                    } else {
                        // D = sqrt(S_ii + S_jj - 2 S_ij)
                        double h = g / d;
                        addSimilarityGradient(i, j, -h);
                        addSimilarityGradient(i, i, 0.5 * h);
                        addSimilarityGradient(j, j, 0.5 * h);
                    }
                }
            }
            return direct;
        }
    }

    /**
     * The pairs a loss reads when they are rows x columns of two disjoint sets of rows (N-pair: anchors x positives):
     * the products then form only that block of R and of F E. The batch refuses any other pair (besides each row with
     * itself), so a loss that declares too small a block fails loudly.
     */
    protected record Block(int[] rows, int[] columns) {}

    /** Where the products are formed: automatically (see {@link #compute}), or always on the engine (tests compare the two). */
    enum Route {
        AUTOMATIC,
        ENGINE
    }

    /**
     * The most multiply-adds of a block's product (rows x columns x d) that the host forms: the host makes three such
     * products on one thread where the engine makes two full b x b x d ones on two, and won at every size measured
     * (N-pair, d = 128, a step alternated in one process: b = 144 0.21-0.36 ms against 0.25-0.40, b = 256 0.46-0.71 against
     * 0.77-0.85, b = 512 (8.4 million) 1.87-2.42 against 2.97-3.08; docs/benchmarks.md); larger blocks stay with the
     * engine, unmeasured.
     */
    static final long HOST_PRODUCT_LIMIT = 1L << 24;

    private final HostMath hostMath = HostMath.fastest();
    private Route route = Route.AUTOMATIC;

    /** For tests: where the products are formed. */
    void route(Route route) {
        this.route = route;
    }

    /**
     * Whether the products of these (b x d, off the graph) embeddings are formed on the host: for a loss that reads a
     * block, float32 on the CPU, the block's product at most {@link #HOST_PRODUCT_LIMIT} multiply-adds (see
     * {@link PairProducts}).
     */
    boolean productsOnHost(NDArray fixed, int b, Block block) {
        return route == Route.AUTOMATIC && block != null && fixed.getDataType() == DataType.FLOAT32 && ai.djl.Device.cpu().equals(fixed.getDevice())
                && (long) block.rows().length * block.columns().length * fixed.getShape().get(1) <= HOST_PRODUCT_LIMIT;
    }

    /** The pairs the loss reads, as rows x columns of two disjoint sets of rows, or null for all pairs (the default). */
    protected Block block(int[] labels) {
        return null;
    }

    protected PairLoss(String name) {
        super(name, 1, true);
    }

    /** Elementwise functions for the host loops (the JDK's vector API where present). */
    final HostMath hostMath() {
        return hostMath;
    }

    /**
     * The loss of a batch, with its gradient added to the batch ({@link Batch#addSimilarityGradient},
     * {@link Batch#addDistanceGradient}); 0 with no gradient when the batch has nothing to learn from.
     */
    protected abstract double loss(Batch batch);

    @Override
    protected final boolean checksFinitenessOnHost() {
        // R's diagonal, |e_i|^2, is NaN or infinite when row i holds a NaN or an infinity
        return true;
    }

    @Override
    protected final NDArray compute(NDList views, NDArray labels) {
        NDArray e = views.get(0);
        NDArray input = Embeddings.hostPrecision(e);
        // the product is a constant of the graph: the gradient enters through e * stopGradient(dL/dE)
        NDArray fixed = input.stopGradient();
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        int b = y.length;
        Block block = block(y);
        PairLayout layout = new PairLayout(b, block);
        PairProducts products = productsOnHost(fixed, b, block) ? new PairProducts.OnHost(fixed, hostMath) : new PairProducts.OnEngine(fixed);
        // R = E E^T at the pairs read, normalized in place below into S
        double[] similarities = products.gram(layout);
        // the rows are normalized here, on the host, as torch's normalize does: e_i / max(|e_i|, 1e-12)
        double[] squared = new double[b];
        for (int i = 0; i < b; i++) {
            squared[i] = similarities[layout.diagonal(i)];
            // |e_i|^2 is NaN or infinite when row i holds a NaN or an infinity
            if (!Double.isFinite(squared[i])) {
                requireFinite(views);
                throw new NonFiniteException(NonFiniteException.Source.INPUT, "the squared norm of row " + i + " of " + getName() + "'s input (it overflows)");
            }
        }
        Embeddings.RowNorms rowNorms = Embeddings.RowNorms.ofSquared(squared);
        double[] norms = rowNorms.norms();
        boolean[] clamped = rowNorms.clamped();
        // the loops below multiply by the inverse norms: b^2 divisions cost more than the rest of the host work
        double[] inverse = new double[b];
        for (int i = 0; i < b; i++) {
            inverse[i] = 1 / norms[i];
            similarities[layout.diagonal(i)] *= inverse[i] * inverse[i];
        }
        if (block == null) {
            // from the upper triangle, so symmetric by construction (the product need not be bit-symmetric): D_ij and D_ji agree
            for (int i = 0; i < b; i++) {
                double row = inverse[i];
                for (int j = i + 1; j < b; j++) {
                    double v = similarities[i * b + j] * (row * inverse[j]);
                    similarities[i * b + j] = v;
                    similarities[j * b + i] = v;
                }
            }
        } else {
            int[] rows = block.rows();
            int[] columns = block.columns();
            for (int k = 0; k < rows.length; k++) {
                double row = inverse[rows[k]];
                for (int l = 0; l < columns.length; l++) {
                    similarities[k * columns.length + l] *= row * inverse[columns[l]];
                }
            }
        }
        double tolerance = fixed.getDataType() == DataType.FLOAT64 ? 1e-8 : 1e-3;
        Batch batch = new Batch(products, norms, similarities, y, tolerance, layout);
        double value = loss(batch);
        double[] direct = batch.foldDistanceGradient();
        // S = N^-1 R N^-1 with R = E E^T and N = diag(|e_i|): dL/dE = (K' + K'^T) E where, with K = dL/dS + dL/dS^T,
        // K'_ab = K_ab / (|e_a| |e_b|) - [a = b] sum_j K_aj S_aj / |e_a|^2 (the last term absent for a clamped norm)
        // formed in place of dL/dS, once per pair read (K and S are symmetric): radial_a = sum_j K_aj S_aj
        double[] factor = batch.similarityGradient;
        double[] radial = new double[b];
        for (int a = 0; a < b; a++) {
            int d = layout.diagonal(a);
            double kaa = 2 * factor[d];
            radial[a] += kaa * similarities[d];
            factor[d] = kaa * (inverse[a] * inverse[a]);
        }
        if (block == null) {
            for (int a = 0; a < b; a++) {
                double row = inverse[a];
                for (int j = a + 1; j < b; j++) {
                    double k = factor[a * b + j] + factor[j * b + a];
                    double ks = k * similarities[a * b + j];
                    radial[a] += ks;
                    radial[j] += ks;
                    double f = k * (row * inverse[j]);
                    factor[a * b + j] = f;
                    factor[j * b + a] = f;
                }
            }
        } else {
            // one entry per pair, already dL/dS_ij + dL/dS_ji
            int[] rows = block.rows();
            int[] columns = block.columns();
            for (int k = 0; k < rows.length; k++) {
                int a = rows[k];
                double row = inverse[a];
                for (int l = 0; l < columns.length; l++) {
                    int slot = k * columns.length + l;
                    double ks = factor[slot] * similarities[slot];
                    radial[a] += ks;
                    radial[columns[l]] += ks;
                    factor[slot] *= row * inverse[columns[l]];
                }
            }
        }
        for (int a = 0; a < b; a++) {
            if (!clamped[a]) {
                factor[layout.diagonal(a)] -= radial[a] * (inverse[a] * inverse[a]);
            }
        }
        NDArray gradient = products.times(factor, layout);
        if (direct != null) {
            rowNorms.backThroughNormalization(batch.rows(), direct);
            gradient = gradient.add(Embeddings.hostMatrix(fixed, direct, fixed.getShape()));
        }
        return Embeddings.inTypeOf(Embeddings.withGradient(input, gradient, value), e);
    }
}
