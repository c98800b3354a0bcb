package org.embreg.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.embreg.train.ProgressReporter;

/** A terminal progress bar (on standard error) for long runs. */
final class ConsoleProgress implements ProgressReporter {
    private ProgressBar bar;

    /**
     * A progress bar when standard error is a terminal, otherwise one line per task on the given
     * writer (so logs and pipes stay readable).
     */
    static ProgressReporter forTerminal(java.io.PrintWriter err) {
        if (System.console() != null) {
            return new ConsoleProgress();
        }
        return new ProgressReporter() {
            private String task;
            private long total;
            private long next;

            @Override
            public void start(String name, long steps) {
                task = name;
                total = steps;
                next = Math.max(1, steps / 4);
                err.println(name + ": " + steps + " iterations");
            }

            @Override
            public void step(long done, String message) {
                if (done >= next) {
                    err.println(task + ": " + done + "/" + total + " " + message);
                    while (next <= done) {
                        next += Math.max(1, total / 4);
                    }
                }
            }

            @Override
            public void finish() {
                err.flush();
            }
        };
    }

    @Override
    public void start(String task, long total) {
        finish();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                .continuousUpdate().build();
    }

    @Override
    public void step(long done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + message);
        }
    }

    @Override
    public void finish() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
