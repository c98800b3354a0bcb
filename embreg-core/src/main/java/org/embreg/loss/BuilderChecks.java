package org.embreg.loss;

/** The argument checks the loss builders share, so that every builder words its errors alike. */
final class BuilderChecks {
    private BuilderChecks() {
    }

    /** Throws unless {@code value} is a finite number above 0; the message names the parameter and the value. */
    static void positive(String parameter, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(parameter + " must be a positive number, got " + value);
        }
    }
}
