package org.embreg.loss;

/**
 * A count a loss reported for its last evaluation (pairs, triplets), kept apart from the loss
 * values: for example "contrastive.positivePairs".
 *
 * @param name a stable, dotted name
 * @param count how many
 */
public record CountValue(String name, long count) {}
