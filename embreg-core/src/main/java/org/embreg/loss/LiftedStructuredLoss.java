package org.embreg.loss;


/**
 * Lifted structured loss (Oh Song et al. 2016) on L2-normalized embeddings: for every positive pair
 * (i, j), J_ij = log(sum_{k neg. of i} exp(m - D_ik) + sum_{l neg. of j} exp(m - D_jl)) + D_ij, and
 * the loss is sum over positive pairs i &lt; j of max(0, J_ij)^2 / (2 |P|); margin m = 1 by default. 0 with a
 * zero gradient when the batch has no positive pair or a single class.
 */
public final class LiftedStructuredLoss extends PairLoss {
    private final double margin;

    private LiftedStructuredLoss(Builder b) {
        super(b.name);
        this.margin = b.margin;
    }

    @Override
    public java.util.Map<String, Object> hyperparameters() {
        return java.util.Map.of("margin", margin);
    }

    public static Builder builder() {
        return new Builder();
    }

    public double margin() {
        return margin;
    }

    @Override
    protected double loss(Batch batch) {
        int[] y = batch.labels();
        int b = y.length;
        int positives = 0;
        boolean twoClasses = false;
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                positives += y[i] == y[j] ? 1 : 0;
                twoClasses |= y[i] != y[j];
            }
        }
        reportCount("lifted.positivePairs", positives);
        if (positives == 0 || !twoClasses) {
            return 0;
        }
        double[] d = batch.distances();
        // with two classes every row has a negative, so each e_i > 0
        double[] terms = new double[b * b];
        double[] e = new double[b];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < b; k++) {
                terms[i * b + k] = y[k] != y[i] ? margin - d[i * b + k] : Double.NEGATIVE_INFINITY;
            }
        }
        // exp(m - D_ik) for the negatives k of i, 0 elsewhere
        hostMath().exp(terms, 0, terms.length);
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < b; k++) {
                e[i] += terms[i * b + k];
            }
        }
        double sum = 0;
        double[] de = new double[b];
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                if (y[i] != y[j]) {
                    continue;
                }
                double hinge = Math.max(0, Math.log(e[i] + e[j]) + d[i * b + j]);
                if (hinge > 0) {
                    sum += hinge * hinge;
                    double c = hinge / positives;
                    batch.addDistanceGradient(i, j, c);
                    de[i] += c / (e[i] + e[j]);
                    de[j] += c / (e[i] + e[j]);
                }
            }
        }
        for (int i = 0; i < b; i++) {
            for (int k = 0; de[i] != 0 && k < b; k++) {
                if (y[k] != y[i]) {
                    batch.addDistanceGradient(i, k, -de[i] * terms[i * b + k]);
                }
            }
        }
        return sum / (2.0 * positives);
    }

    /** Builds a {@link LiftedStructuredLoss}: margin 1. */
    public static final class Builder {
        private String name = "lifted";
        private double margin = 1.0;

        /** The margin m, a positive number (default 1). */
        public Builder optMargin(double margin) {
            this.margin = margin;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public LiftedStructuredLoss build() {
            BuilderChecks.positive("margin", margin);
            return new LiftedStructuredLoss(this);
        }
    }
}
