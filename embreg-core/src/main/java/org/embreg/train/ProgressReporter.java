package org.embreg.train;

/** Progress of a long run, for a progress bar. Called from the training thread. */
public interface ProgressReporter {
    /** A reporter that shows nothing. */
    ProgressReporter NONE = new ProgressReporter() {
        @Override
        public void start(String task, long total) {}

        @Override
        public void step(long done, String message) {}

        @Override
        public void finish() {}
    };

    /** A task of {@code total} steps begins. */
    void start(String task, long total);

    /** {@code done} steps of the current task are finished; message is a short status such as the loss. */
    void step(long done, String message);

    /** The current task ended. */
    void finish();

    /** This reporter with every task shown under {@code name} instead of its own. */
    default ProgressReporter renamed(String name) {
        ProgressReporter inner = this;
        return new ProgressReporter() {
            @Override
            public void start(String task, long total) {
                inner.start(name, total);
            }

            @Override
            public void step(long done, String message) {
                inner.step(done, message);
            }

            @Override
            public void finish() {
                inner.finish();
            }
        };
    }
}
