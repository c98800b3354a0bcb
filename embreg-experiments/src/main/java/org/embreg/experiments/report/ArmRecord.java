package org.embreg.experiments.report;

import java.util.List;
import java.util.Map;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.RetrievalMetrics;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.train.CollapseWarning;
import org.embreg.train.Divergence;

/**
 * One trained arm as results.json holds it.
 *
 * @param name the arm ("none", "svmax", ...)
 * @param loss the ranking loss
 * @param regularizer the regularizer
 * @param lambda the regularizer's weight (0 without one)
 * @param metrics retrieval on the unseen classes; null when training diverged (nothing real to report)
 * @param divergence where training diverged, or null
 * @param stoppedBy the collapse warning training was stopped on, or null
 * @param collapseWarnings the collapse monitor's warnings during training
 * @param iterations updates applied
 * @param parametersUpdates updates seen by the kept (last good) parameters
 * @param trainSeconds wall time of training
 * @param objective the loss and its hyperparameters (the parts with weights)
 * @param layers for an arm whose layers are regularized or watched: each captured layer's collapse measures
 *     at the last monitored step, by capture point (empty otherwise)
 */
public record ArmRecord(String name, String loss, String regularizer, double lambda, RetrievalMetrics metrics, Divergence divergence,
        CollapseWarning stoppedBy, List<CollapseWarning> collapseWarnings, int iterations, int parametersUpdates, double trainSeconds,
        Map<String, Object> objective, Map<String, CollapseMeasures> layers) {
    public ArmRecord {
        layers = layers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
        java.util.Objects.requireNonNull(name, "name");
        collapseWarnings = collapseWarnings == null ? List.of() : List.copyOf(collapseWarnings);
        if (metrics == null && divergence == null) {
            throw new IllegalArgumentException("arm " + name + " has neither metrics nor a divergence");
        }
    }

    public static ArmRecord of(ArmResult a) {
        return new ArmRecord(a.name(), a.config().loss().cliName(), a.config().regularizer().armName(), a.config().lambda(), a.metrics(),
                a.outcome().divergence(), a.outcome().stoppedBy(), a.warnings(), a.outcome().iterations(), a.parametersUpdates(), a.trainSeconds(),
                a.objective(), org.embreg.experiments.model.CapturedNetwork.lastMeasures(a.layerLogs()));
    }

    public boolean diverged() {
        return divergence != null;
    }
}
