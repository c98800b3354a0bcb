package org.embreg.experiments.retrieval;

import org.embreg.loss.AngularLoss;
import org.embreg.loss.ContrastiveLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.LiftedStructuredLoss;
import org.embreg.loss.NPairLoss;
import org.embreg.loss.TripletLoss;

/**
 * The ranking losses of the SVMax paper's retrieval studies, with the batch layout and SVMax weight
 * the paper uses for each: contrastive p = 36 x l = 4 and lambda = 1; triplet (semi-hard) 24 x 6
 * and 0.1; N-pair 72 x 2 and 1; angular 72 x 2 and 2; lifted structured 36 x 4 and 1 (the official
 * code ships it; the paper gives it no weight, so 1).
 */
public enum RankingLossKind {
    CONTRASTIVE("contrastive", 36, 4, 1.0),
    TRIPLET("triplet", 24, 6, 0.1),
    NPAIR("npair", 72, 2, 1.0),
    ANGULAR("angular", 72, 2, 2.0),
    LIFTED("lifted", 36, 4, 1.0);

    private final String cliName;
    private final int classesPerBatch;
    private final int samplesPerClass;
    private final double svmaxWeight;

    RankingLossKind(String cliName, int classesPerBatch, int samplesPerClass, double svmaxWeight) {
        this.cliName = cliName;
        this.classesPerBatch = classesPerBatch;
        this.samplesPerClass = samplesPerClass;
        this.svmaxWeight = svmaxWeight;
    }

    /** The name on the command line and in results. */
    public String cliName() {
        return cliName;
    }

    /** p, classes per batch. */
    public int classesPerBatch() {
        return classesPerBatch;
    }

    /** l, samples per class. */
    public int samplesPerClass() {
        return samplesPerClass;
    }

    /** The paper's SVMax weight lambda for this loss. */
    public double svmaxWeight() {
        return svmaxWeight;
    }

    /**
     * The batch layout for b rows: p = b / l classes of this loss's l samples each.
     *
     * @throws IllegalArgumentException naming the batch size and the loss when b is not a multiple
     *     of l with at least 2 classes
     */
    public BatchLayout layout(int batch) {
        int l = samplesPerClass;
        if (batch % l != 0 || batch / l < 2) {
            throw new IllegalArgumentException("batch size " + batch + " for the " + cliName + " loss must be a multiple of its " + l
                    + " samples per class with at least 2 classes (" + 2 * l + ", " + 3 * l + ", ...)");
        }
        return new BatchLayout(batch / l, l);
    }

    /** The paper's layout for this loss. */
    public BatchLayout paperLayout() {
        return new BatchLayout(classesPerBatch, samplesPerClass);
    }

    /** The loss with its paper defaults (margins 1 and 0.2, alpha 45 degrees). */
    public EmbeddingLoss create() {
        return switch (this) {
            case CONTRASTIVE -> ContrastiveLoss.builder().build();
            case TRIPLET -> TripletLoss.builder().optMining(TripletLoss.Mining.SEMI_HARD).build();
            case NPAIR -> NPairLoss.builder().build();
            case ANGULAR -> AngularLoss.builder().build();
            case LIFTED -> LiftedStructuredLoss.builder().build();
        };
    }
}
