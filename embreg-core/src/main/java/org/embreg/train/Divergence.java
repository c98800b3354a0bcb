package org.embreg.train;

import org.embreg.NonFiniteException;

/**
 * Where and when a training run diverged: the iteration at which non-finite values appeared and
 * what held them.
 *
 * @param iteration 0-based iteration whose forward or backward pass gave them (its update was not applied)
 * @param source an input of the loss, a loss term, a gradient or a parameter
 * @param where names it, e.g. "term svmax.loss of objective" or "gradient of 05Linear_weight"
 */
public record Divergence(int iteration, NonFiniteException.Source source, String where) {
    public Divergence {
        java.util.Objects.requireNonNull(source, "source");
        java.util.Objects.requireNonNull(where, "where");
    }

    /** A sentence for a log or a table. */
    public String describe() {
        return "diverged at iteration " + iteration + ": " + where + " became NaN or infinite";
    }
}
