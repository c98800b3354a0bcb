package org.embreg.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Random;
import org.embreg.data.Matrix;

/**
 * Lloyd's k-means with k-means++ initialization and several restarts, keeping the run of lowest
 * inertia (as scikit-learn's KMeans). The point-to-centre products run on the engine (one matrix
 * product per iteration, in blocks of rows); centres are updated on the host from float32 sums per
 * cluster, as scikit-learn does for float32 data.
 */
public final class KMeans {
    private final int clusters;
    private final int restarts;
    private final int maxIterations;
    private final double tolerance;
    private final long seed;

    /** The clustering: an assignment per row and the sum of squared distances to the centres. */
    public record Result(int[] assignment, double inertia, int iterations) {}

    public KMeans(int clusters, int restarts, int maxIterations, double tolerance, long seed) {
        if (clusters < 1 || restarts < 1 || maxIterations < 1) {
            throw new IllegalArgumentException("clusters, restarts and iterations must be >= 1");
        }
        this.clusters = clusters;
        this.restarts = restarts;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.seed = seed;
    }

    /** k clusters, 3 restarts, at most 100 iterations, tolerance 1e-4 of the mean variance (scikit-learn's). */
    public static KMeans withClusters(int k, long seed) {
        return new KMeans(k, 3, 100, 1e-4, seed);
    }

    /**
     * @param manager an engine manager for temporaries (freed inside)
     * @param m the rows to cluster, not modified
     */
    public Result fit(NDManager manager, Matrix m) {
        if (m.rows() < clusters) {
            throw new IllegalArgumentException("k-means with " + clusters + " clusters needs at least as many rows, got " + m.rows());
        }
        Random random = new Random(seed);
        Result best = null;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(m.data(), new Shape(m.rows(), m.cols()));
            // [x, 1]: one product gives x.c - |c|^2 / 2 against centres stacked over -|c|^2 / 2
            NDArray augmented = x.concat(scope.ones(new Shape(m.rows(), 1), x.getDataType()), 1);
            double[] norms = rowNorms(m);
            double tol = tolerance * meanVariance(m);
            for (int r = 0; r < restarts; r++) {
                Result res = run(scope, x, augmented, m, norms, tol, random);
                if (best == null || res.inertia() < best.inertia()) {
                    best = res;
                }
            }
        }
        return best;
    }

    private Result run(NDManager scope, NDArray x, NDArray augmented, Matrix m, double[] norms, double tol, Random random) {
        int n = m.rows();
        int d = m.cols();
        float[] data = m.data();
        double[] centres = initPlusPlus(scope, x, m, norms, random);
        int[] assign = new int[n];
        double[] best = new double[n];
        // float sums, as scikit-learn accumulates float32 data
        float[] sums = new float[clusters * d];
        int[] counts = new int[clusters];
        double inertia;
        int it;
        for (it = 1; it <= maxIterations; it++) {
            nearestCentres(scope, augmented, norms, centres, d, assign, null);
            Arrays.fill(sums, 0);
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = assign[i];
                counts[c]++;
                int o = i * d;
                int co = c * d;
                for (int j = 0; j < d; j++) {
                    sums[co + j] += data[o + j];
                }
            }
            double shift = 0;
            for (int c = 0; c < clusters; c++) {
                if (counts[c] == 0) {
                    int far = random.nextInt(n);
                    for (int j = 0; j < d; j++) {
                        double nv = data[far * d + j];
                        shift += (nv - centres[c * d + j]) * (nv - centres[c * d + j]);
                        centres[c * d + j] = nv;
                    }
                    continue;
                }
                for (int j = 0; j < d; j++) {
                    double nv = sums[c * d + j] / counts[c];
                    double dv = nv - centres[c * d + j];
                    shift += dv * dv;
                    centres[c * d + j] = nv;
                }
            }
            if (shift <= tol) {
                break;
            }
        }
        nearestCentres(scope, augmented, norms, centres, d, assign, best);
        inertia = 0;
        for (double v : best) {
            inertia += v;
        }
        return new Result(assign, inertia, Math.min(it, maxIterations));
    }

    /** Rows per block of the assignment: its score block (block x k floats) stays in cache. */
    private static final int BLOCK = 4096;

    /**
     * For every row, the nearest of the given centres and, when {@code dist} is not null, the
     * squared distance to it.
     *
     * @param augmented the rows with a column of ones appended, n x (d + 1)
     */
    private static void nearestCentres(NDManager scope, NDArray augmented, double[] norms, double[] centres, int d, int[] assign, double[] dist) {
        int k = centres.length / d;
        int n = assign.length;
        // column t: centre t over -|c_t|^2 / 2, so that the product is x.c - |c|^2 / 2, largest at the nearest centre
        float[] c = new float[(d + 1) * k];
        for (int t = 0; t < k; t++) {
            double sq = 0;
            for (int j = 0; j < d; j++) {
                c[j * k + t] = (float) centres[t * d + j];
                sq += centres[t * d + j] * centres[t * d + j];
            }
            c[d * k + t] = (float) (-sq / 2);
        }
        try (NDManager s = scope.newSubManager()) {
            s.tempAttachAll(augmented); // results of its ops land in s and are freed with it
            NDArray ct = s.create(c, new Shape(d + 1, k));
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                try (NDManager block = s.newSubManager()) {
                    block.tempAttachAll(augmented, ct);
                    NDArray score = augmented.get(from + ":" + to).matMul(ct);
                    long[] idx = score.argMax(1).toType(DataType.INT64, false).toLongArray();
                    float[] top = dist == null ? null : score.max(new int[] {1}).toFloatArray();
                    for (int i = 0; i < idx.length; i++) {
                        assign[from + i] = (int) idx[i];
                        if (dist != null) {
                            dist[from + i] = Math.max(0, norms[from + i] - 2 * top[i]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Greedy k-means++ (as scikit-learn): each new centre is the best, by the resulting potential,
     * of 2 + ln(k) candidates drawn with probability proportional to the squared distance.
     */
    private double[] initPlusPlus(NDManager scope, NDArray x, Matrix m, double[] norms, Random random) {
        int n = m.rows();
        int d = m.cols();
        float[] data = m.data();
        int trials = 2 + (int) Math.log(clusters);
        double[] centres = new double[clusters * d];
        int first = random.nextInt(n);
        for (int j = 0; j < d; j++) {
            centres[j] = data[first * d + j];
        }
        double[] dist = distances(scope, x, norms, java.util.Arrays.copyOf(centres, d), d);
        double total = sum(dist);
        for (int c = 1; c < clusters; c++) {
            int[] candidates = new int[trials];
            for (int t = 0; t < trials; t++) {
                candidates[t] = total <= 0 ? random.nextInt(n) : sample(dist, total, random);
            }
            double[] cand = new double[trials * d];
            for (int t = 0; t < trials; t++) {
                for (int j = 0; j < d; j++) {
                    cand[t * d + j] = data[candidates[t] * d + j];
                }
            }
            double[] toCand = distances(scope, x, norms, cand, d);
            int best = 0;
            double bestPotential = Double.MAX_VALUE;
            for (int t = 0; t < trials; t++) {
                double potential = 0;
                for (int i = 0; i < n; i++) {
                    potential += Math.min(dist[i], toCand[i * trials + t]);
                }
                if (potential < bestPotential) {
                    bestPotential = potential;
                    best = t;
                }
            }
            System.arraycopy(cand, best * d, centres, c * d, d);
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], toCand[i * trials + best]);
            }
            total = bestPotential;
        }
        return centres;
    }

    private static int sample(double[] dist, double total, Random random) {
        double r = random.nextDouble() * total;
        for (int i = 0; i < dist.length; i++) {
            r -= dist[i];
            if (r <= 0) {
                return i;
            }
        }
        return dist.length - 1;
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }

    /** Squared distances of every row to each centre: n x k row-major. */
    private static double[] distances(NDManager scope, NDArray x, double[] norms, double[] centres, int d) {
        int k = centres.length / d;
        float[] c = new float[k * d];
        double[] sq = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                c[i * d + j] = (float) centres[i * d + j];
                sq[i] += centres[i * d + j] * centres[i * d + j];
            }
        }
        float[] dots;
        try (NDManager s = scope.newSubManager()) {
            s.tempAttachAll(x);
            dots = x.matMul(s.create(c, new Shape(k, d)).transpose()).toFloatArray();
        }
        double[] out = new double[dots.length];
        for (int i = 0; i < norms.length; i++) {
            for (int t = 0; t < k; t++) {
                out[i * k + t] = Math.max(0, norms[i] + sq[t] - 2 * dots[i * k + t]);
            }
        }
        return out;
    }

    private static double[] rowNorms(Matrix m) {
        int d = m.cols();
        double[] out = new double[m.rows()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double v = m.data()[i * d + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }

    /** The mean over columns of each column's variance, in two passes over the rows. */
    private static double meanVariance(Matrix m) {
        int d = m.cols();
        int n = m.rows();
        float[] data = m.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] variance = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dv = data[i * d + j] - mean[j];
                variance[j] += dv * dv;
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) {
            total += variance[j] / n;
        }
        return total / d;
    }
}
