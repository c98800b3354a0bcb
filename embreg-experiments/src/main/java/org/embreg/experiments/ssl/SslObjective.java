package org.embreg.experiments.ssl;

import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EachViewLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregLoss;

/**
 * The pretraining objectives of {@code embreg ssl} and its ablation: full VICReg, VICReg without
 * one of its terms, and VICReg with SVMax (on each view, weighted as the variance term was) in
 * place of its variance term, bounded on the normalized embeddings or vanilla on the raw ones.
 */
public enum SslObjective {
    VICREG("vicreg", "VICReg (25 / 25 / 1)"),
    NO_VARIANCE("no-variance", "without variance (mu = 0)"),
    NO_COVARIANCE("no-covariance", "without covariance (nu = 0)"),
    NO_INVARIANCE("no-invariance", "without invariance (lambda = 0)"),
    SVMAX_BOUNDED("svmax-bounded", "SVMax bounded (normalized) for variance"),
    SVMAX_VANILLA("svmax-vanilla", "SVMax vanilla (raw) for variance");

    private final String cliName;
    private final String description;

    SslObjective(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The loss on the two embeddings (z, z'), with the config's weights. */
    public EmbeddingLoss loss(SslConfig c, SymmetricEigenSolver solver) {
        double lambda = c.invarianceWeight();
        double mu = c.varianceWeight();
        double nu = c.covarianceWeight();
        return switch (this) {
            case VICREG -> vicreg(lambda, mu, nu);
            case NO_VARIANCE -> vicreg(lambda, 0, nu);
            case NO_COVARIANCE -> vicreg(lambda, mu, 0);
            case NO_INVARIANCE -> vicreg(0, mu, nu);
            case SVMAX_BOUNDED -> withSvmax(vicreg(lambda, 0, nu), mu, SvmaxRegularizer.builder().optEigenSolver(solver).build());
            case SVMAX_VANILLA -> withSvmax(vicreg(lambda, 0, nu), mu,
                    SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).optEigenSolver(solver).build());
        };
    }

    private static VicregLoss vicreg(double lambda, double mu, double nu) {
        return VicregLoss.builder().optInvarianceWeight(lambda).optVarianceWeight(mu).optCovarianceWeight(nu).build();
    }

    private static EmbeddingLoss withSvmax(VicregLoss rest, double weight, SvmaxRegularizer svmax) {
        return WeightedSumLoss.builder().optName("objective").add(1.0, rest).add(weight, new EachViewLoss(svmax)).build();
    }
}
