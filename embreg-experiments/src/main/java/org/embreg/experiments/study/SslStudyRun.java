package org.embreg.experiments.study;

import java.util.Objects;
import org.embreg.experiments.ssl.SslConfig;
import org.embreg.experiments.ssl.SslObjective;

/**
 * One self-supervised run of a study: a pretraining alone ({@link org.embreg.experiments.ssl.SslExperiment#pretrainOnly}).
 *
 * @param id a stable id, its directory under runs/
 * @param config the configuration; its data and run directory are the study's ({@link SslConfig#at})
 * @param objective the objective on the expander's output
 * @param evaluateInit also score the initialization the run starts from
 */
public record SslStudyRun(String id, SslConfig config, SslObjective objective, boolean evaluateInit) {
    public SslStudyRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(objective, "objective");
    }
}
