package org.embreg.experiments.bench;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.embreg.data.Matrix;
import org.embreg.metric.KMeans;
import org.embreg.metric.Nmi;
import org.embreg.metric.RecallAtK;

/**
 * Times the retrieval metrics on seeded synthetic embeddings: Gaussian class centres (unit
 * variance) plus noise of standard deviation 0.8, rows L2-normalized; the same recipe as the peers
 * in embreg-bench/peers.
 */
public final class MetricsBench {
    private MetricsBench() {}

    /** Median and samples in milliseconds, and the metric value of the last run. */
    public record Timing(double medianMillis, double[] samplesMillis, double value) {}

    /** n rows of dimension d in the given number of classes. */
    public static Matrix blobs(int n, int d, int classes, long seed, int[] labelsOut) {
        Random r = new Random(seed);
        double[] centres = new double[classes * d];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = r.nextGaussian();
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(classes);
            labelsOut[i] = c;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (centres[c * d + j] + 0.8 * r.nextGaussian());
            }
        }
        return new Matrix(x, n, d).normalizedRows();
    }

    /** Exact Recall@1,2,4,8 over all n queries; value = R@1. */
    public static Timing recall(int n, int d, int classes, int warmup, int repeats, long seed) {
        int[] y = new int[n];
        Matrix m = blobs(n, d, classes, seed, y);
        try (NDManager manager = NDManager.newBaseManager()) {
            return time(warmup, repeats, () -> RecallAtK.compute(manager, m, y, RecallAtK.paperKs())[0]);
        }
    }

    /** k-means (k-means++, the given restarts) and NMI against the labels; value = NMI. */
    public static Timing nmi(int n, int d, int clusters, int restarts, int warmup, int repeats, long seed) {
        int[] y = new int[n];
        Matrix m = blobs(n, d, clusters, seed, y);
        try (NDManager manager = NDManager.newBaseManager()) {
            return time(warmup, repeats, () -> Nmi.of(y, new KMeans(clusters, restarts, 300, 1e-4, seed).fit(manager, m).assignment()));
        }
    }

    private static Timing time(int warmup, int repeats, java.util.function.DoubleSupplier work) {
        double value = Double.NaN;
        double[] samples = new double[repeats];
        for (int i = -warmup; i < repeats; i++) {
            long t0 = System.nanoTime();
            value = work.getAsDouble();
            if (i >= 0) {
                samples[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return new Timing(median(samples), samples, value);
    }

    /** The median of samples (not modified). */
    public static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
