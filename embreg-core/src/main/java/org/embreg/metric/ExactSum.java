package org.embreg.metric;

import java.math.BigDecimal;

/**
 * A sum of doubles kept exactly (binary fractions add exactly in decimal), rounded once when read:
 * the result does not depend on the order of the terms, so a metric averaged over queries is the
 * same bit for bit whether the queries come in index order on one machine or partition by
 * partition on a cluster.
 */
public final class ExactSum {
    private BigDecimal sum = BigDecimal.ZERO;

    /** Adds a finite value. */
    public ExactSum add(double v) {
        sum = sum.add(new BigDecimal(v));
        return this;
    }

    /** The sum, correctly rounded to double. */
    public double value() {
        return sum.doubleValue();
    }
}
