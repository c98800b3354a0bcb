package org.embreg.loss;

/**
 * One named term of a loss as it was last evaluated, for logging (for example "vicreg.variance").
 *
 * @param name a stable, dotted name
 * @param value the term's value, unweighted unless the name is a part of a {@link WeightedSumLoss}
 * @param aggregate whether the value is a mean over the batch's items, a sum over them, or a
 *     single quantity of the batch (such as s_mu)
 */
public record TermValue(String name, double value, Aggregate aggregate) {
    /** How a term's value is formed from the batch's items (pairs, triplets, dimensions, rows). */
    public enum Aggregate {
        /** A mean over items (pairs, triplets, dimensions). */
        MEAN,
        /** A sum over items. */
        SUM,
        /** One quantity of the whole batch (s_mu, a weighted total, a bounded loss). */
        BATCH
    }
}
