package org.embreg.experiments.report;

import java.util.Objects;
import org.embreg.experiments.retrieval.TrainingConfig;

/**
 * The results.json of a one-arm run ({@code embreg retrieval}, or one run of a study).
 *
 * @param experiment "retrieval" or "study-run"
 * @param id the study's run id, or null
 * @param arm the arm's results
 * @param config what it ran
 * @param provenance where it came from
 */
public record RunRecord(String experiment, String id, ArmRecord arm, Config config, Provenance provenance) {
    public RunRecord {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(arm, "arm");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(provenance, "provenance");
    }

    /**
     * What a run trained and on what data.
     *
     * @param training the arm's training configuration
     * @param data the data
     */
    public record Config(TrainingConfig training, DataSummary data) {
        public Config {
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(data, "data");
        }
    }
}
