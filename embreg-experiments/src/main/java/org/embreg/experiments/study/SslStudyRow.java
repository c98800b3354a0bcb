package org.embreg.experiments.study;

import org.embreg.experiments.ssl.SslExperiment;

/**
 * One finished self-supervised run of a study, as its results.json records it.
 *
 * @param run what was asked for
 * @param record what it produced
 */
public record SslStudyRow(SslStudyRun run, SslExperiment.PretrainRecord record) {
    public String id() {
        return run.id();
    }

    /** The pretraining and the evaluation of its representation. */
    public SslExperiment.Pretrained result() {
        return record.run();
    }

    public boolean diverged() {
        return record.run().divergence() != null;
    }

    /** Milliseconds per pretraining step (online k-NN and logging included). */
    public double millisPerStep() {
        return 1e3 * record.run().stepSeconds();
    }
}
