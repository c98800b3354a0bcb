package org.embreg.testing;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Brute-force reference computations on plain arrays, independent of the code under test. */
public final class Reference {
    private Reference() {}

    public static double[][] normalizeRows(double[][] e) {
        double[][] out = new double[e.length][];
        for (int i = 0; i < e.length; i++) {
            double n = 0;
            for (double v : e[i]) {
                n += v * v;
            }
            n = Math.max(Math.sqrt(n), 1e-12);
            out[i] = new double[e[i].length];
            for (int j = 0; j < e[i].length; j++) {
                out[i][j] = e[i][j] / n;
            }
        }
        return out;
    }

    /** Bounded SVMax exp((U - s_mu) / (U - L)) of the L2-normalized rows, weight 1. */
    public static double svmaxBounded(double[][] e) {
        double[][] x = normalizeRows(e);
        int b = x.length;
        int d = x[0].length;
        double mu = nuclearNorm(x) / d;
        double lower = Math.sqrt(b) / d;
        double upper = Math.sqrt((double) b * Math.min(b, d)) / d;
        return Math.exp((upper - mu) / (upper - lower));
    }

    /** Singular values by EJML's SVD (not the Gram route under test). */
    public static double[] singularValues(double[][] e) {
        DMatrixRMaj m = new DMatrixRMaj(e);
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(m.numRows, m.numCols, false, false, true);
        if (!svd.decompose(m)) {
            throw new AssertionError("reference SVD failed");
        }
        double[] s = svd.getSingularValues().clone();
        java.util.Arrays.sort(s);
        return s;
    }

    public static double nuclearNorm(double[][] e) {
        double sum = 0;
        for (double s : singularValues(e)) {
            sum += s;
        }
        return sum;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    /** Unbiased variance of column j. */
    public static double columnVariance(double[][] z, int j) {
        double mean = 0;
        for (double[] row : z) {
            mean += row[j];
        }
        mean /= z.length;
        double s = 0;
        for (double[] row : z) {
            s += (row[j] - mean) * (row[j] - mean);
        }
        return s / (z.length - 1);
    }

    public static double vicregVariance(double[][] z, double gamma, double eps) {
        int d = z[0].length;
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += Math.max(0, gamma - Math.sqrt(columnVariance(z, j) + eps));
        }
        return s / d;
    }

    public static double vicregCovariance(double[][] z) {
        int b = z.length;
        int d = z[0].length;
        double[] mean = new double[d];
        for (double[] row : z) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / b;
            }
        }
        double s = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                if (p == q) {
                    continue;
                }
                double c = 0;
                for (double[] row : z) {
                    c += (row[p] - mean[p]) * (row[q] - mean[q]);
                }
                c /= b - 1;
                s += c * c;
            }
        }
        return s / d;
    }

    public static double vicregInvariance(double[][] z, double[][] zp) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[i].length; j++) {
                s += (z[i][j] - zp[i][j]) * (z[i][j] - zp[i][j]);
                n++;
            }
        }
        return s / n;
    }
}
