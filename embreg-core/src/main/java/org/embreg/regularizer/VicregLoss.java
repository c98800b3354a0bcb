package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Scalars;
import org.embreg.loss.TermValue.Aggregate;

/**
 * The full VICReg loss on two views Z, Z' (predictions hold both, b x d each):
 * lambda * s(Z, Z') + mu * (v(Z) + v(Z')) / 2 + nu * (c(Z) + c(Z')), defaults 25 / 25 / 1.
 *
 * <p>This is the official code's loss: it averages the two variance terms, where the paper's
 * equation (6) adds them without the /2. Reports {@code vicreg.invariance}, {@code vicreg.variance},
 * {@code vicreg.varianceSecondView}, {@code vicreg.covariance}, {@code vicreg.covarianceSecondView}
 * (all unweighted) and {@code vicreg.total}.
 */
public final class VicregLoss extends EmbeddingLoss {
    private final double invarianceWeight;
    private final double varianceWeight;
    private final double covarianceWeight;
    private final double gamma;
    private final double eps;

    private VicregLoss(Builder b) {
        super(b.name, 2, false);
        this.invarianceWeight = b.invarianceWeight;
        this.varianceWeight = b.varianceWeight;
        this.covarianceWeight = b.covarianceWeight;
        this.gamma = b.gamma;
        this.eps = b.eps;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray z = views.get(0);
        NDArray zp = views.get(1);
        NDArray s = VicregTerms.invariance(z, zp);
        NDArray v1 = VicregTerms.variance(z, gamma, eps);
        NDArray v2 = VicregTerms.variance(zp, gamma, eps);
        NDArray c1 = VicregTerms.covariance(z);
        NDArray c2 = VicregTerms.covariance(zp);
        NDArray total = Scalars.mul(s, invarianceWeight)
                .add(Scalars.mul(v1.add(v2), varianceWeight / 2))
                .add(Scalars.mul(c1.add(c2), covarianceWeight));
        report("vicreg.invariance", s, Aggregate.MEAN);
        report("vicreg.variance", v1, Aggregate.MEAN);
        report("vicreg.varianceSecondView", v2, Aggregate.MEAN);
        report("vicreg.covariance", c1, Aggregate.BATCH);
        report("vicreg.covarianceSecondView", c2, Aggregate.BATCH);
        report("vicreg.total", total, Aggregate.BATCH);
        return total;
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("invarianceWeight", invarianceWeight, "varianceWeight", varianceWeight, "covarianceWeight",
                covarianceWeight, "gamma", gamma, "eps", eps);
    }

    /** Builds a {@link VicregLoss}. */
    public static final class Builder {
        private String name = "vicreg";
        private double invarianceWeight = 25;
        private double varianceWeight = 25;
        private double covarianceWeight = 1;
        private double gamma = VicregTerms.GAMMA;
        private double eps = VicregTerms.EPS;

        /** lambda, the invariance weight (default 25). */
        public Builder optInvarianceWeight(double w) {
            this.invarianceWeight = w;
            return this;
        }

        /** mu, the variance weight (default 25). */
        public Builder optVarianceWeight(double w) {
            this.varianceWeight = w;
            return this;
        }

        /** nu, the covariance weight (default 1). */
        public Builder optCovarianceWeight(double w) {
            this.covarianceWeight = w;
            return this;
        }

        public Builder optGamma(double gamma) {
            this.gamma = gamma;
            return this;
        }

        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public VicregLoss build() {
            checkWeight("invariance weight", invarianceWeight);
            checkWeight("variance weight", varianceWeight);
            checkWeight("covariance weight", covarianceWeight);
            VicregTermRegularizer.checkGammaEps(gamma, eps);
            return new VicregLoss(this);
        }

        private static void checkWeight(String what, double w) {
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + w);
            }
        }
    }
}
