package org.embreg.experiments.retrieval;

import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.regularizer.SpreadOutRegularizer;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregTermRegularizer;

/** The regularizers an experiment can add to its ranking loss, with the arm names results use. */
public enum RegularizerKind {
    NONE("none"),
    SVMAX("svmax"),
    SPREAD_OUT("spread-out"),
    VICREG_VARIANCE("vicreg-variance");

    private final String armName;

    RegularizerKind(String armName) {
        this.armName = armName;
    }

    /** The name in results ("none", "svmax", "spread-out", "vicreg-variance"). */
    public String armName() {
        return armName;
    }

    /**
     * The weight an experiment gives this regularizer next to a ranking loss when none is asked
     * for: 0 for NONE, the paper's weight for the loss with SVMax, 1 otherwise.
     */
    public double defaultWeight(RankingLossKind loss) {
        return switch (this) {
            case NONE -> 0;
            case SVMAX -> loss.svmaxWeight();
            case SPREAD_OUT, VICREG_VARIANCE -> 1;
        };
    }

    /** Whether the regularizer reads the batch's class labels (spread-out draws its negatives by label). */
    public boolean usesLabels() {
        return switch (this) {
            case SPREAD_OUT -> true;
            case NONE, SVMAX, VICREG_VARIANCE -> false;
        };
    }

    /** The regularizer, unweighted, or null for NONE; SVMax with the given eigensolver. */
    public EmbeddingLoss create(long seed, SymmetricEigenSolver solver) {
        return switch (this) {
            case NONE -> null;
            case SVMAX -> SvmaxRegularizer.builder().optEigenSolver(solver).build();
            case SPREAD_OUT -> SpreadOutRegularizer.builder().optSeed(seed).build();
            case VICREG_VARIANCE -> VicregTermRegularizer.builder(VicregTermRegularizer.Term.VARIANCE).build();
        };
    }
}
