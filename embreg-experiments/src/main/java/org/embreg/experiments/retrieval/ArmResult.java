package org.embreg.experiments.retrieval;

import java.util.List;
import java.util.Map;
import org.embreg.train.CollapseWarning;
import org.embreg.train.MonitorRecord;
import org.embreg.train.TrainingLoop;

/**
 * The outcome of one trained arm.
 *
 * @param name the arm name
 * @param config its configuration
 * @param objective the loss and its hyperparameters
 * @param parts the names of the loss's parts: the ranking loss, then the regularizer if any
 * @param metrics retrieval on the test classes, or null when training diverged
 * @param outcome how training ended (updates applied, divergence, stop)
 * @param warnings the collapse monitor's warnings
 * @param log the monitor's measurements (every logEvery iterations and the last)
 * @param trainSeconds wall time of training
 * @param parameters the last good parameters in DJL's format ({@code Block.saveParameters})
 * @param parametersUpdates how many updates those parameters had seen
 */
public record ArmResult(String name, TrainingConfig config, Map<String, Object> objective, List<String> parts, RetrievalMetrics metrics,
        TrainingLoop.Outcome outcome, List<CollapseWarning> warnings, List<MonitorRecord> log, double trainSeconds, byte[] parameters,
        int parametersUpdates, Map<String, List<MonitorRecord>> layerLogs) {
    public ArmResult {
        parts = List.copyOf(parts);
        layerLogs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layerLogs));
        warnings = List.copyOf(warnings);
        log = List.copyOf(log);
    }

    public boolean diverged() {
        return outcome.diverged();
    }
}
