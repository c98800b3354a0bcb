package org.embreg.spectrum;

import org.embreg.data.Matrix;
import org.embreg.linalg.SymmetricEigenSolver;

/**
 * The measures of collapse of one output matrix (b rows x d columns), with one definition shared
 * by the training monitor and {@code analyze}:
 * <ul>
 *   <li>s_mu = ||X||_* / d of the L2-normalized rows X, with its bounds L = sqrt(b)/d and U =
 *       sqrt(b min(b, d))/d (Taha et al. 2021) and its place in the band, (s_mu - L) / (U - L): 0
 *       when every row points the same way, 1 when the rows are as spread as they can be;
 *   <li>the effective rank of X, exp of the entropy of its normalized singular values (RankMe,
 *       Garrido et al. 2023; Roy and Vetterli 2007);
 *   <li>the mean over columns of the standard deviation of the L2-normalized rows, against the
 *       1/sqrt(d) of rows spread uniformly on the sphere (lightly's {@code std_of_l2_normalized});
 *   <li>collapsed dimensions: columns of the output <em>as given</em> (not normalized) whose
 *       standard deviation is below a threshold (VICReg's definition).
 * </ul>
 * Standard deviations are unbiased (divided by b - 1), as torch.std.
 *
 * @param rows b
 * @param dim d
 * @param meanSingularValue s_mu of the normalized rows
 * @param lowerBound L
 * @param upperBound U
 * @param bandPosition (s_mu - L) / (U - L); NaN when d = 1 (U = L)
 * @param effectiveRank exp of the spectral entropy of the normalized rows
 * @param normalizedRowStd mean column std of the normalized rows
 * @param healthyRowStd 1 / sqrt(d)
 * @param collapsedDimensions columns of the output as given with std below the threshold
 * @param dimensionThreshold that threshold
 */
public record CollapseMeasures(int rows, int dim, double meanSingularValue, double lowerBound, double upperBound, double bandPosition,
        double effectiveRank, double normalizedRowStd, double healthyRowStd, int collapsedDimensions, double dimensionThreshold) {

    /**
     * Measures an output, computing the spectrum of its normalized rows.
     *
     * @param output b x d as given (b &gt;= 2), not modified
     * @param solver the eigensolver for the spectrum
     * @param dimensionThreshold std below which a column counts as collapsed
     */
    public static CollapseMeasures of(Matrix output, SymmetricEigenSolver solver, double dimensionThreshold) {
        return of(output, Spectrum.of(output.normalizedRows(), solver), dimensionThreshold);
    }

    /**
     * Measures an output whose normalized rows' spectrum is already known (for example from the
     * SVMax loss of the same batch).
     */
    public static CollapseMeasures of(Matrix output, Spectrum normalizedSpectrum, double dimensionThreshold) {
        Matrix x = output.normalizedRows();
        double[] std = DimensionStats.of(x, dimensionThreshold).std();
        double mean = 0;
        for (double v : std) {
            mean += v;
        }
        mean /= std.length;
        int collapsed = DimensionStats.of(output, dimensionThreshold).collapsed();
        Spectrum s = normalizedSpectrum;
        return new CollapseMeasures(output.rows(), output.cols(), s.meanSingularValue(), s.lowerBound(), s.upperBound(), s.bandPosition(),
                s.effectiveRank(), mean, 1 / Math.sqrt(output.cols()), collapsed, dimensionThreshold);
    }
}
