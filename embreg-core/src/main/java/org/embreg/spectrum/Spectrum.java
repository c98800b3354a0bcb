package org.embreg.spectrum;

import org.embreg.data.Matrix;
import org.embreg.linalg.GramSpectrum;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.regularizer.SvmaxBounds;

/**
 * The singular spectrum of an embedding matrix and what SVMax reads off it.
 *
 * @param singularValues descending, min(b, d) of them
 * @param meanSingularValue s_mu = sum(s) / d
 * @param lowerBound L = sqrt(b) / d (meaningful for L2-normalized rows)
 * @param upperBound U = sqrt(b * min(b, d)) / d
 * @param svmaxLoss exp((U - s_mu) / (U - L)), the bounded SVMax loss with lambda = 1
 * @param effectiveRank exp(H(p)) with p = s / sum(s) (Roy and Vetterli 2007; RankMe, Garrido et al. 2023); 0 for a
 *     zero matrix
 */
public record Spectrum(double[] singularValues, double meanSingularValue, double lowerBound, double upperBound,
        double svmaxLoss, double effectiveRank) {

    /**
     * Computes the spectrum on the host in double precision, by the same Gram-matrix path as the
     * SVMax loss ({@link GramSpectrum}), and resolves the small singular values the Gram matrix
     * cannot: an eigenvalue of E^T E carries an absolute error near 1e-16 of the largest, so a
     * singular value below about 1e-4 of the largest loses its digits when taken as the square
     * root of one (and below 1e-8 it is lost). Those directions V_s are measured again on E itself:
     * the singular values of E V_s (the square roots of the eigenvalues of its own, small Gram
     * matrix, whose entries are of their size) are accurate down to about 1e-15 of the largest.
     * What lies below n x 1e-15 of the largest counts as zero.
     *
     * @param m b x d, not modified
     * @param solver the eigensolver
     */
    public static Spectrum of(Matrix m, SymmetricEigenSolver solver) {
        int b = m.rows();
        int d = m.cols();
        boolean wide = d > b;
        GramSpectrum g = GramSpectrum.ofMatrix(Matrix.doubles(m.data()), b, d, solver, true);
        return fromSingularValues(resolveSmall(m, wide, g, solver), b, d);
    }

    /**
     * Whether singular values found through a Gram matrix alone are as resolved as {@link #of}
     * would give them: true when none lies below 1e-4 of the largest (1e-8 of its eigenvalue).
     */
    public static boolean resolvedByGram(double[] singularValues) {
        return singularValues.length == 0 || singularValues[singularValues.length - 1] >= singularValues[0] * Math.sqrt(REFINE_BELOW);
    }

    /** Eigenvalues below this fraction of the largest are measured again on the matrix itself. */
    static final double REFINE_BELOW = 1e-8;

    private static double[] resolveSmall(Matrix m, boolean wide, GramSpectrum g, SymmetricEigenSolver solver) {
        double[] values = g.eigen().values();
        int n = values.length;
        int large = resolvedCount(values);
        if (large == n) {
            return g.singularValues();
        }
        int small = n - large;
        double[] vectors = g.eigen().vectors();
        int rows = wide ? m.cols() : m.rows();
        // F = E V_s (b x small) or E^T V_s (d x small) for a wide matrix, in double precision
        double[] f = new double[rows * small];
        float[] x = m.data();
        int d = m.cols();
        for (int k = 0; k < small; k++) {
            int vo = (large + k) * n;
            for (int r = 0; r < m.rows(); r++) {
                if (wide) {
                    double v = vectors[vo + r];
                    for (int c = 0; c < d; c++) {
                        f[c * small + k] += v * x[r * d + c];
                    }
                } else {
                    double acc = 0;
                    for (int c = 0; c < d; c++) {
                        acc += x[r * d + c] * vectors[vo + c];
                    }
                    f[r * small + k] = acc;
                }
            }
        }
        double[] h = new double[small * small];
        for (int r = 0; r < rows; r++) {
            int o = r * small;
            for (int i = 0; i < small; i++) {
                double fi = f[o + i];
                for (int j = i; j < small; j++) {
                    h[i * small + j] += fi * f[o + j];
                }
            }
        }
        return withRefinedTail(values, large, h, solver);
    }

    /**
     * How many eigenvalues of a Gram matrix (descending) its own decomposition resolves: those at
     * or above {@link #REFINE_BELOW} of the largest (all of them when the largest is not positive).
     * The directions of the others are measured again on the matrix itself.
     */
    public static int resolvedCount(double[] eigenvalues) {
        int n = eigenvalues.length;
        if (n == 0 || eigenvalues[0] <= 0) {
            return n;
        }
        int large = 0;
        while (large < n && eigenvalues[large] >= eigenvalues[0] * REFINE_BELOW) {
            large++;
        }
        return large;
    }

    /**
     * The singular values from a Gram matrix's eigenvalues and, for its unresolved directions V_s,
     * the Gram matrix H = (E V_s)^T (E V_s) of the matrix measured along them (computed where the
     * rows are, for example summed over the partitions of a distributed table): the first
     * {@code large} values are the square roots of the eigenvalues, the rest those of H's, below
     * n x 1e-15 of the largest counted as zero; descending.
     *
     * @param eigenvalues the Gram matrix's, descending; not modified
     * @param large {@link #resolvedCount} of them
     * @param h row-major (n - large)^2, its upper triangle filled (the lower is filled here)
     */
    public static double[] withRefinedTail(double[] eigenvalues, int large, double[] h, SymmetricEigenSolver solver) {
        int n = eigenvalues.length;
        int small = n - large;
        for (int i = 0; i < small; i++) {
            for (int j = 0; j < i; j++) {
                h[i * small + j] = h[j * small + i];
            }
        }
        double[] tail = solver.decompose(h, small, false).values();
        double floor = Math.sqrt(eigenvalues[0]) * n * 1e-15;
        double[] s = new double[n];
        for (int i = 0; i < large; i++) {
            s[i] = Math.sqrt(eigenvalues[i]);
        }
        for (int i = 0; i < small; i++) {
            double v = Math.sqrt(Math.max(0, tail[i]));
            s[large + i] = v > floor ? v : 0;
        }
        java.util.Arrays.sort(s);
        for (int i = 0; i < n / 2; i++) {
            double t = s[i];
            s[i] = s[n - 1 - i];
            s[n - 1 - i] = t;
        }
        return s;
    }

    /**
     * The spectrum from singular values already found (for example by the SVMax loss for the same
     * batch).
     *
     * @param s min(b, d) singular values, descending; not modified
     * @param b rows
     * @param d columns
     */
    public static Spectrum fromSingularValues(double[] s, int b, int d) {
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
        return new Spectrum(s.clone(), mu, bounds.lower(), bounds.upper(), loss, sum > 0 ? Math.exp(entropy) : 0);
    }

    /** Where s_mu lies in its band: (s_mu - L) / (U - L); 0 at rank 1, 1 when spread as far as it can be. NaN when U = L. */
    public double bandPosition() {
        return upperBound > lowerBound ? (meanSingularValue - lowerBound) / (upperBound - lowerBound) : Double.NaN;
    }
}
