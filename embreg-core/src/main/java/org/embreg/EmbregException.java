package org.embreg;

/**
 * A problem with what the user gave embreg: a file, an option or an array shape. The message is
 * written for the user and names the offending file, option or shape; front ends print it without
 * a stack trace.
 */
public class EmbregException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmbregException(String message) {
        super(message);
    }

    public EmbregException(String message, Throwable cause) {
        super(message, cause);
    }
}
