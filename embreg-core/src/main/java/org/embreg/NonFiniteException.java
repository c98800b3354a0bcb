package org.embreg;

/**
 * Non-finite values (NaN or an infinity) where finite ones are required: a loss's input, a loss
 * term or a gradient. A training loop turns it into a typed divergence; front ends print its
 * message, which names where the values were found.
 */
public class NonFiniteException extends EmbregException {
    private static final long serialVersionUID = 1L;

    /** Where the values were found. */
    public enum Source {
        /** An input of a loss (an embedding view). */
        INPUT,
        /** A term or the value of a loss. */
        TERM,
        /** The gradient of a parameter. */
        GRADIENT,
        /** A parameter itself. */
        PARAMETER
    }

    private final Source source;
    private final String where;

    /**
     * @param source what kind of value
     * @param where names it, e.g. "view 0 of contrastive (shape (144, 128))" or "svmax.loss"
     */
    public NonFiniteException(Source source, String where) {
        super(where + " contains NaN or Inf values");
        this.source = source;
        this.where = where;
    }

    public Source source() {
        return source;
    }

    /** What held the values, e.g. "view 0 of contrastive (shape (144, 128))". */
    public String where() {
        return where;
    }
}
