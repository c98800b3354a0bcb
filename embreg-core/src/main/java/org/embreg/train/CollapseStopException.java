package org.embreg.train;

/**
 * Thrown by a {@link CollapseMonitor} asked to stop training when a measure crosses its threshold.
 * embreg's {@link TrainingLoop} turns it into a result; under {@code EasyTrain.fit} it ends the fit.
 */
public final class CollapseStopException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CollapseWarning warning;

    public CollapseStopException(CollapseWarning warning) {
        super("training stopped: " + warning.message());
        this.warning = warning;
    }

    public CollapseWarning warning() {
        return warning;
    }
}
