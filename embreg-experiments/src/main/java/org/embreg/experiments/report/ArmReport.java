package org.embreg.experiments.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.train.MonitorRecord;
import org.embreg.train.PolynomialDecayTracker;

/** What a retrieval run writes about its arms: results.json, the training log CSV, charts, parameters. */
public final class ArmReport {
    private ArmReport() {}

    /**
     * Writes a one-arm run: its files and results.json (last, so its presence marks the run
     * finished).
     *
     * @param experiment "retrieval" or "study-run"
     * @param id the study's run id, or null
     */
    public static void writeRun(RunDirectory dir, String experiment, String id, ArmResult arm, OpenSetSplit split, Provenance provenance)
            throws IOException {
        writeFiles(dir, List.of(arm));
        dir.writeJson("results.json", new RunRecord(experiment, id, ArmRecord.of(arm), new RunRecord.Config(arm.config(), DataSummary.of(split)),
                provenance));
    }

    /** One line about an arm: its scores, or where it diverged; and whether a monitor stopped it. */
    public static String summary(ArmResult a) {
        TrainingConfig c = a.config();
        String layers = c.layers().active()
                ? String.format(java.util.Locale.ROOT, " + %s on every layer (weight %s)", c.layers().regularizer().armName(), c.layers().weight()) : "";
        String decay = c.weightDecay() > 0 ? " + weight decay " + c.weightDecay() : "";
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%s + %s (lambda %s)%s%s: ", c.loss().cliName(),
                c.regularizer().armName(), c.lambda(), layers, decay));
        var m = a.metrics();
        if (m == null) {
            return sb.append(a.outcome().divergence().describe()).append("; no retrieval scores").toString();
        }
        m.recallAt().forEach((k, r) -> sb.append(String.format(java.util.Locale.ROOT, "R@%d %.4f ", k, r)));
        sb.append(String.format(java.util.Locale.ROOT, "NMI %.4f MAP@R %.4f RP %.4f s_mu %.4f in [%.4f, %.4f]", m.nmi(), m.mapAtR(),
                m.rPrecision(), m.meanSingularValue(), m.lowerBound(), m.upperBound()));
        if (a.outcome().stoppedBy() != null) {
            sb.append(" (").append(a.outcome().stoppedBy().message()).append("; training stopped there)");
        }
        return sb.toString();
    }

    /**
     * Writes training-log.csv (per arm and logged iteration: the learning rate, the loss's total,
     * its ranking and regularizer parts (weighted), and the collapse monitor's measures of the
     * training batch) and the two charts. Each arm's last good parameters ({@code <name>.params}) are
     * already in the directory: the trainer's checkpoint listener wrote them there, atomically.
     */
    public static void writeFiles(RunDirectory dir, List<ArmResult> arms) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("arm", "iteration", "learningRate", "total", "loss", "regularizer", "meanSingularValue", "lowerBound", "upperBound",
                "bandPosition", "effectiveRank", "normalizedRowStd", "collapsedDimensions"));
        for (ArmResult a : arms) {
            PolynomialDecayTracker schedule = RetrievalTrainer.schedule(a.config());
            for (MonitorRecord r : a.log()) {
                CollapseMeasures m = r.measures();
                double reg = a.parts().size() > 1 ? r.term(a.parts().get(1)) : 0;
                rows.add(List.of(a.name(), r.iteration(), schedule.valueAt(r.iteration() + 1), r.term("total"), r.term(a.parts().get(0)),
                        reg, m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.bandPosition(), m.effectiveRank(), m.normalizedRowStd(),
                        m.collapsedDimensions()));
            }
        }
        dir.writeCsv("training-log.csv", rows);
        if (arms.stream().anyMatch(a -> !a.log().isEmpty())) {
            dir.writePng("mean-singular-value.png", Charts.meanSingularValue(arms));
        }
        if (arms.stream().anyMatch(a -> a.metrics() != null)) {
            dir.writePng("recall-at-k.png", Charts.recall(arms)); // arms that diverged have no scores to show
        }
    }
}
