package org.embreg.spectrum;

import org.embreg.data.Matrix;
import org.embreg.linalg.SymmetricEigen;
import org.embreg.regularizer.SvmaxBounds;

/**
 * The singular spectrum of an embedding matrix and what SVMax reads off it.
 *
 * @param singularValues descending, min(b, d) of them
 * @param meanSingularValue s_mu = sum(s) / d
 * @param lowerBound L = sqrt(b) / d (meaningful for L2-normalized rows)
 * @param upperBound U = sqrt(b * min(b, d)) / d
 * @param svmaxLoss exp((U - s_mu) / (U - L)), the bounded SVMax loss with lambda = 1
 * @param effectiveRank exp(H(p)) with p = s / sum(s) (Roy and Vetterli 2007); 0 for a zero matrix
 */
public record Spectrum(double[] singularValues, double meanSingularValue, double lowerBound, double upperBound,
        double svmaxLoss, double effectiveRank) {

    /**
     * Computes the spectrum on the host in double precision from the smaller Gram matrix.
     *
     * @param m b x d, not modified
     */
    public static Spectrum of(Matrix m) {
        int b = m.rows();
        int d = m.cols();
        boolean wide = d > b;
        int n = wide ? b : d;
        double[] gram = wide ? rowGram(m) : columnGram(m);
        SymmetricEigen eig = SymmetricEigen.of(gram, n, false);
        double[] s = eig.singularValues(eig.countAbove(eig.noiseThreshold()));
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        double entropy = 0;
        for (double v : s) {
            if (v > 0) {
                double p = v / sum;
                entropy -= p * Math.log(p);
            }
        }
        SvmaxBounds bounds = new SvmaxBounds(b, d);
        double mu = sum / d;
        double loss = bounds.isProper() ? bounds.boundedLoss(mu) : Double.NaN;
        return new Spectrum(s, mu, bounds.lower(), bounds.upper(), loss, sum > 0 ? Math.exp(entropy) : 0);
    }

    /** E^T E, d x d, row-major. */
    static double[] columnGram(Matrix m) {
        int d = m.cols();
        double[] g = new double[d * d];
        float[] x = m.data();
        double[] row = new double[d];
        for (int r = 0; r < m.rows(); r++) {
            int o = r * d;
            for (int c = 0; c < d; c++) {
                row[c] = x[o + c];
            }
            for (int i = 0; i < d; i++) {
                double ri = row[i];
                if (ri == 0) {
                    continue;
                }
                int gi = i * d;
                for (int j = i; j < d; j++) {
                    g[gi + j] += ri * row[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                g[i * d + j] = g[j * d + i];
            }
        }
        return g;
    }

    /** E E^T, b x b, row-major. */
    static double[] rowGram(Matrix m) {
        int b = m.rows();
        int d = m.cols();
        float[] x = m.data();
        double[] g = new double[b * b];
        for (int i = 0; i < b; i++) {
            for (int j = i; j < b; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    s += (double) x[i * d + c] * x[j * d + c];
                }
                g[i * b + j] = s;
                g[j * b + i] = s;
            }
        }
        return g;
    }
}
