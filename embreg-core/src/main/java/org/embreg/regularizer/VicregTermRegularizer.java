package org.embreg.regularizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.Scalars;
import org.embreg.loss.TermValue.Aggregate;

/**
 * One VICReg term alone, weighted: the variance term v(Z) or the covariance term c(Z) as a
 * regularizer on one view (for example beside a supervised ranking loss), or the invariance term
 * s(Z, Z') on two views. Reports {@code vicreg.<term>} unweighted.
 */
public final class VicregTermRegularizer extends EmbeddingLoss {
    /** Which term. */
    public enum Term {
        /** mean_j max(0, gamma - sqrt(Var(Z_j) + eps)); one view. */
        VARIANCE(1, "vicreg-variance", "vicreg.variance"),
        /** sum_{i != j} C_ij^2 / d; one view. */
        COVARIANCE(1, "vicreg-covariance", "vicreg.covariance"),
        /** mean squared error between two views. */
        INVARIANCE(2, "vicreg-invariance", "vicreg.invariance");

        private final int views;
        private final String defaultName;
        private final String termName;

        Term(int views, String defaultName, String termName) {
            this.views = views;
            this.defaultName = defaultName;
            this.termName = termName;
        }
    }

    private final Term term;
    private final double weight;
    private final double gamma;
    private final double eps;

    private VicregTermRegularizer(Builder b) {
        super(b.name == null ? b.term.defaultName : b.name, b.term.views, false);
        this.term = b.term;
        this.weight = b.weight;
        this.gamma = b.gamma;
        this.eps = b.eps;
    }

    /** A builder for the given term, weight 1. */
    public static Builder builder(Term term) {
        return new Builder(term);
    }

    public Term term() {
        return term;
    }

    @Override
    protected NDArray compute(NDList views, NDArray labels) {
        NDArray value = switch (term) {
            case VARIANCE -> VicregTerms.variance(views.get(0), gamma, eps);
            case COVARIANCE -> VicregTerms.covariance(views.get(0));
            case INVARIANCE -> VicregTerms.invariance(views.get(0), views.get(1));
        };
        report(term.termName, value, term == Term.COVARIANCE ? Aggregate.BATCH : Aggregate.MEAN);
        return Scalars.mul(value, weight);
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("term", term.termName, "weight", weight, "gamma", gamma, "eps", eps);
    }

    static void checkGammaEps(double gamma, double eps) {
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("gamma must be a positive number, got " + gamma);
        }
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
        }
    }

    /** Builds a {@link VicregTermRegularizer}. */
    public static final class Builder {
        private final Term term;
        private String name;
        private double weight = 1;
        private double gamma = VicregTerms.GAMMA;
        private double eps = VicregTerms.EPS;

        private Builder(Term term) {
            this.term = java.util.Objects.requireNonNull(term, "term");
        }

        public Builder optWeight(double weight) {
            this.weight = weight;
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

        public VicregTermRegularizer build() {
            if (!Double.isFinite(weight) || weight < 0) {
                throw new IllegalArgumentException("weight must be a finite number >= 0, got " + weight);
            }
            checkGammaEps(gamma, eps);
            return new VicregTermRegularizer(this);
        }
    }
}
