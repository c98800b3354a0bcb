package org.embreg.testing;

import java.util.Random;

/** Test batches as plain double[][] (rows x dim), seeded, including the degenerate ones. */
public final class Batches {
    private Batches() {}

    /** A named batch with labels (p classes laid out as consecutive runs). */
    public record Batch(String name, double[][] rows, int[] labels) {
        @Override
        public String toString() {
            return name + " " + rows.length + "x" + rows[0].length;
        }
    }

    public static double[][] gaussian(int b, int d, long seed) {
        Random r = new Random(seed);
        double[][] e = new double[b][d];
        for (double[] row : e) {
            for (int j = 0; j < d; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return e;
    }

    /** u v^T plus noise of the given scale. */
    public static double[][] rankOnePlusNoise(int b, int d, double noise, long seed) {
        Random r = new Random(seed);
        double[] u = new double[b];
        double[] v = new double[d];
        for (int i = 0; i < b; i++) {
            u[i] = 1 + r.nextDouble();
        }
        for (int j = 0; j < d; j++) {
            v[j] = r.nextGaussian();
        }
        double[][] e = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < d; j++) {
                e[i][j] = u[i] * v[j] + noise * r.nextGaussian();
            }
        }
        return e;
    }

    /** b copies of one random row. */
    public static double[][] identicalRows(int b, int d, long seed) {
        double[] row = gaussian(1, d, seed)[0];
        double[][] e = new double[b][];
        for (int i = 0; i < b; i++) {
            e[i] = row.clone();
        }
        return e;
    }

    /** Labels 0,0,...,1,1,... with {@code perClass} consecutive rows per class. */
    public static int[] blockLabels(int b, int perClass) {
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            y[i] = i / perClass;
        }
        return y;
    }

    /** The standard set: random (b > d), rank one plus noise, identical rows, b < d, one class. */
    public static Batch[] standard(long seed) {
        return new Batch[] {
            new Batch("random", gaussian(8, 5, seed), blockLabels(8, 2)),
            new Batch("rank1+noise", rankOnePlusNoise(8, 5, 1e-2, seed + 1), blockLabels(8, 2)),
            new Batch("identical-rows", identicalRows(6, 4, seed + 2), blockLabels(6, 2)),
            new Batch("b<d", gaussian(4, 7, seed + 3), blockLabels(4, 2)),
            new Batch("one-class", gaussian(6, 4, seed + 4), new int[6]),
        };
    }

    /** A rows x cols float32 matrix of standard normal entries, seeded. */
    public static org.embreg.data.Matrix gaussianMatrix(int rows, int cols, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return new org.embreg.data.Matrix(x, rows, cols);
    }
}
