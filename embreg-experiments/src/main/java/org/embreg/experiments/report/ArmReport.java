package org.embreg.experiments.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.RetrievalTrainer.ArmResult;

/** What a retrieval run writes about its arms: JSON fields, the training log CSV, charts, parameters. */
public final class ArmReport {
    private ArmReport() {}

    /** The JSON fields of one arm. */
    public static Map<String, Object> json(ArmResult a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("loss", a.config().loss().cliName());
        m.put("regularizer", a.config().regularizer().armName());
        m.put("lambda", a.config().lambda());
        Map<String, Double> recall = new LinkedHashMap<>();
        String[] ks = {"1", "2", "4", "8"};
        for (int i = 0; i < ks.length; i++) {
            recall.put(ks[i], a.metrics().recallAt()[i]);
        }
        m.put("recallAt", recall);
        m.put("nmi", a.metrics().nmi());
        m.put("mapAtR", a.metrics().mapAtR());
        m.put("rPrecision", a.metrics().rPrecision());
        m.put("meanSingularValue", a.metrics().meanSingularValue());
        m.put("lowerBound", a.metrics().lowerBound());
        m.put("upperBound", a.metrics().upperBound());
        m.put("effectiveRank", a.metrics().effectiveRank());
        m.put("collapsedDimensions", a.metrics().collapsedDimensions());
        m.put("diverged", a.diverged());
        m.put("trainSeconds", a.trainSeconds());
        return m;
    }

    /** The data part of a run's configuration. */
    public static Map<String, Object> dataJson(OpenSetSplit split) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trainImages", split.train().size());
        m.put("testImages", split.test().size());
        m.put("trainClasses", split.train().classCount());
        m.put("testClasses", split.test().classCount());
        m.put("imageSize", split.train().height() + "x" + split.train().width());
        return m;
    }

    /**
     * Writes a one-arm run: its files and results.json (last, so its presence marks the run
     * finished) with the arm's metrics at the top level, the config and provenance.
     *
     * @param header leading fields, e.g. the experiment's name
     */
    public static void writeRun(RunDirectory dir, Map<String, Object> header, ArmResult arm, OpenSetSplit split, double seconds,
            Map<String, String> environment) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(header);
        json.putAll(json(arm));
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("training", arm.config());
        cfg.put("data", dataJson(split));
        json.put("config", cfg);
        json.put("provenance", Provenance.collect(arm.config().seed(), split.source().directory() + " (" + split.source().source() + ")",
                seconds, environment));
        writeFiles(dir, List.of(arm));
        dir.writeJson("results.json", json);
    }

    /** Writes training-log.csv, the two charts and each arm's parameters ({@code <name>.params}). */
    public static void writeFiles(RunDirectory dir, List<ArmResult> arms) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("arm", "iteration", "learningRate", "total", "loss", "regularizer", "meanSingularValue", "lowerBound", "upperBound"));
        for (ArmResult a : arms) {
            String lossName = a.config().loss().create().getName();
            for (RetrievalTrainer.LogRow r : a.log()) {
                double reg = a.config().regularizer() == RegularizerKind.NONE ? 0 : r.terms().getOrDefault(a.config().regularizer().armName(), 0.0);
                rows.add(List.of(a.name(), r.iteration(), r.learningRate(), r.terms().getOrDefault("total", Double.NaN),
                        r.terms().getOrDefault(lossName, Double.NaN), reg, r.meanSingularValue(), r.lowerBound(), r.upperBound()));
            }
            AtomicFiles.write(dir.root().resolve(a.name() + ".params"), a.parameters());
        }
        dir.writeCsv("training-log.csv", rows);
        dir.writePng("mean-singular-value.png", Charts.meanSingularValue(arms));
        dir.writePng("recall-at-k.png", Charts.recall(arms));
    }
}
