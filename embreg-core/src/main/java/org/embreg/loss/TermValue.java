package org.embreg.loss;

/**
 * One named term of a loss as it was last evaluated, for logging (for example "vicreg.variance").
 *
 * @param name a stable, dotted name
 * @param value the term's value, unweighted unless the name says otherwise
 */
public record TermValue(String name, double value) {}
