package org.embreg.experiments.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.loss.WeightedSumLoss;
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

    /**
     * Writes training-log.csv (per arm and logged iteration: the learning rate, the loss's total,
     * its ranking and regularizer parts (weighted), and the collapse monitor's measures of the
     * training batch), the two charts and each arm's last good parameters ({@code <name>.params}).
     */
    public static void writeFiles(RunDirectory dir, List<ArmResult> arms) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("arm", "iteration", "learningRate", "total", "loss", "regularizer", "meanSingularValue", "lowerBound", "upperBound",
                "bandPosition", "effectiveRank", "normalizedRowStd", "collapsedDimensions"));
        for (ArmResult a : arms) {
            List<WeightedSumLoss.Part> parts = RetrievalTrainer.lossFor(a.config().loss(), a.config().regularizer(), a.config().lambda(),
                    a.config().seed(), org.embreg.linalg.EigenSolvers.ejml()).parts();
            PolynomialDecayTracker schedule = RetrievalTrainer.schedule(a.config());
            for (MonitorRecord r : a.log()) {
                CollapseMeasures m = r.measures();
                double reg = parts.size() > 1 ? r.term(parts.get(1).loss().getName()) : 0;
                rows.add(List.of(a.name(), r.iteration(), schedule.valueAt(r.iteration()), r.term("total"), r.term(parts.get(0).loss().getName()),
                        reg, m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.bandPosition(), m.effectiveRank(), m.normalizedRowStd(),
                        m.collapsedDimensions()));
            }
            AtomicFiles.write(dir.root().resolve(a.name() + ".params"), a.parameters());
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
