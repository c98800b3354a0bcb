package org.embreg.regularizer;

import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;

class SvmaxBoundedTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return SvmaxRegularizer.builder().optLambda(0.7).build();
    }

    @Override
    protected double reference(double[][][] views, int[] labels) {
        double[][] x = Reference.normalizeRows(views[0]);
        int b = x.length;
        int d = x[0].length;
        double mu = Reference.nuclearNorm(x) / d;
        double lower = Math.sqrt(b) / d;
        double upper = Math.sqrt((double) b * Math.min(b, d)) / d;
        return 0.7 * Math.exp((upper - mu) / (upper - lower));
    }
}
