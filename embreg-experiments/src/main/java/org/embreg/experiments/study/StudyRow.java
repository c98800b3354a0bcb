package org.embreg.experiments.study;

import java.util.ArrayList;
import java.util.List;
import org.embreg.experiments.report.ArmRecord;
import org.embreg.experiments.report.RunRecord;
import org.embreg.experiments.retrieval.RetrievalMetrics;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.metric.RecallAtK;
import org.embreg.train.Divergence;

/**
 * One finished run of a study, as read back from its results.json (so a restarted study reuses
 * finished runs instead of training them again).
 *
 * @param id the run's id
 * @param training its configuration
 * @param arm its results
 */
public record StudyRow(String id, TrainingConfig training, ArmRecord arm) {
    /** The row of a run's record. */
    public static StudyRow of(String id, RunRecord r) {
        return new StudyRow(id, r.config().training(), r.arm());
    }

    public String loss() {
        return arm.loss();
    }

    public String regularizer() {
        return arm.regularizer();
    }

    public double learningRate() {
        return training.learningRate();
    }

    public int batch() {
        return training.batchSize();
    }

    public int dim() {
        return training.dim();
    }

    /** The metrics, or null when the run diverged. */
    public RetrievalMetrics metrics() {
        return arm.metrics();
    }

    /** Where the run diverged, or null. */
    public Divergence divergence() {
        return arm.divergence();
    }

    public boolean diverged() {
        return arm.diverged();
    }

    /** R@1, NaN when the run diverged. */
    public double recallAt1() {
        return metrics() == null ? Double.NaN : metrics().recallAt1();
    }

    /** The CSV header matching {@link #csv()}. */
    public static List<Object> csvHeader() {
        List<Object> h = new ArrayList<>(List.of("id", "loss", "regularizer", "learningRate", "lambda", "batch", "dim"));
        for (int k : RecallAtK.PAPER_KS) {
            h.add("recallAt" + k);
        }
        h.addAll(METRICS);
        h.addAll(List.of("diverged", "divergedAtIteration", "arm", "backbone", "seed", "weightDecay", "layerRegularizer", "layerWeight"));
        return h;
    }

    /** The other metric columns. */
    private static final List<String> METRICS = List.of("nmi", "mapAtR", "rPrecision", "ami", "precisionAt1", "meanReciprocalRank",
            "meanAveragePrecision", "meanSingularValue", "lowerBound", "upperBound",
            "effectiveRank", "collapsedDimensions");

    /** The CSV line; a diverged run's metric cells are empty. */
    public List<Object> csv() {
        List<Object> out = new ArrayList<>(List.of(id, loss(), regularizer(), learningRate(), arm.lambda(), batch(), dim()));
        RetrievalMetrics m = metrics();
        if (m == null) {
            for (int i = 0; i < RecallAtK.PAPER_KS.size() + METRICS.size(); i++) {
                out.add(null);
            }
        } else {
            for (int k : RecallAtK.PAPER_KS) {
                out.add(m.recallAt().get(k));
            }
            // the last four are null in results written before they were reported (empty cells)
            out.addAll(java.util.Arrays.asList(m.nmi(), m.mapAtR(), m.rPrecision(), m.ami(), m.precisionAt1(), m.meanReciprocalRank(),
                    m.meanAveragePrecision(), m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.effectiveRank(),
                    m.collapsedDimensions()));
        }
        out.add(diverged());
        out.add(diverged() ? divergence().iteration() : null);
        out.addAll(java.util.Arrays.asList(training.armName(), training.backbone().cliName(), training.seed(), training.weightDecay(),
                training.layers().regularizer().armName(), training.layers().weight()));
        return out;
    }
}
