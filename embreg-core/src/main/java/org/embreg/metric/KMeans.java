package org.embreg.metric;

import java.util.Random;
import org.embreg.data.Matrix;

/**
 * Lloyd's k-means with k-means++ initialization and several restarts, keeping the run of lowest
 * inertia (as scikit-learn's KMeans). Plain Java, double accumulation.
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

    /** k clusters, 5 restarts, at most 100 iterations, relative tolerance 1e-4 (scikit-learn's). */
    public static KMeans withClusters(int k, long seed) {
        return new KMeans(k, 5, 100, 1e-4, seed);
    }

    public Result fit(Matrix m) {
        if (m.rows() < clusters) {
            throw new IllegalArgumentException("k-means with " + clusters + " clusters needs at least as many rows, got " + m.rows());
        }
        Random random = new Random(seed);
        Result best = null;
        for (int r = 0; r < restarts; r++) {
            Result res = run(m, random);
            if (best == null || res.inertia() < best.inertia()) {
                best = res;
            }
        }
        return best;
    }

    private Result run(Matrix m, Random random) {
        int n = m.rows();
        int d = m.cols();
        float[] x = m.data();
        double[] centres = initPlusPlus(m, random);
        int[] assign = new int[n];
        double[] sums = new double[clusters * d];
        int[] counts = new int[clusters];
        double variance = totalVariance(m);
        double tol = tolerance * variance;
        double inertia = 0;
        int it;
        for (it = 1; it <= maxIterations; it++) {
            inertia = 0;
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int bestC = 0;
                double bestD = Double.MAX_VALUE;
                for (int c = 0; c < clusters; c++) {
                    double dist = 0;
                    int xo = i * d;
                    int co = c * d;
                    for (int j = 0; j < d; j++) {
                        double v = x[xo + j] - centres[co + j];
                        dist += v * v;
                    }
                    if (dist < bestD) {
                        bestD = dist;
                        bestC = c;
                    }
                }
                assign[i] = bestC;
                inertia += bestD;
                counts[bestC]++;
                for (int j = 0; j < d; j++) {
                    sums[bestC * d + j] += x[i * d + j];
                }
            }
            double shift = 0;
            for (int c = 0; c < clusters; c++) {
                if (counts[c] == 0) {
                    int far = random.nextInt(n);
                    for (int j = 0; j < d; j++) {
                        double nv = x[far * d + j];
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
        return new Result(assign, inertia, Math.min(it, maxIterations));
    }

    private double[] initPlusPlus(Matrix m, Random random) {
        int n = m.rows();
        int d = m.cols();
        float[] x = m.data();
        double[] centres = new double[clusters * d];
        double[] dist = new double[n];
        int first = random.nextInt(n);
        for (int j = 0; j < d; j++) {
            centres[j] = x[first * d + j];
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            dist[i] = sq(x, i, centres, 0, d);
            total += dist[i];
        }
        for (int c = 1; c < clusters; c++) {
            int pick;
            if (total <= 0) {
                pick = random.nextInt(n);
            } else {
                double r = random.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    r -= dist[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                centres[c * d + j] = x[pick * d + j];
            }
            total = 0;
            for (int i = 0; i < n; i++) {
                dist[i] = Math.min(dist[i], sq(x, i, centres, c * d, d));
                total += dist[i];
            }
        }
        return centres;
    }

    private static double sq(float[] x, int row, double[] centres, int co, int d) {
        double s = 0;
        int xo = row * d;
        for (int j = 0; j < d; j++) {
            double v = x[xo + j] - centres[co + j];
            s += v * v;
        }
        return s;
    }

    private static double totalVariance(Matrix m) {
        int d = m.cols();
        double total = 0;
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (int i = 0; i < m.rows(); i++) {
                mean += m.data()[i * d + j];
            }
            mean /= m.rows();
            double v = 0;
            for (int i = 0; i < m.rows(); i++) {
                double dv = m.data()[i * d + j] - mean;
                v += dv * dv;
            }
            total += v / m.rows();
        }
        return total / d;
    }
}
