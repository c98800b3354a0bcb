package org.embreg.experiments.gan;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Scalars;
import org.embreg.testing.EmbeddingLossContract;

/**
 * The generator's adversarial loss under the shared loss contract (brute-force agreement, float64
 * finite-difference gradients on degenerate batches, data type, one evaluation per step), with a
 * fixed smooth critic in place of a discriminator: logit_i = 0.5 sum_j e_ij - 0.3 sum_j e_ij^2.
 */
class AdversarialLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return new AdversarialLoss(e -> Scalars.mul(e.sum(new int[] {1}, true), 0.5).sub(Scalars.mul(e.mul(e).sum(new int[] {1}, true), 0.3)));
    }

    /** mean_i softplus(-logit_i), in double precision. */
    @Override
    protected double reference(double[][][] views, int[] labels) {
        double total = 0;
        for (double[] row : views[0]) {
            double s = 0;
            double q = 0;
            for (double x : row) {
                s += x;
                q += x * x;
            }
            double logit = 0.5 * s - 0.3 * q;
            total += Math.log1p(Math.exp(-logit));
        }
        return total / views[0].length;
    }
}
