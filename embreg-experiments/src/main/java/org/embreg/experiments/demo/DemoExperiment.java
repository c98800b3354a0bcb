package org.embreg.experiments.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.RetrievalTrainer.ArmResult;
import org.embreg.experiments.retrieval.TrainingConfig;

/** Runs the demo and writes its run directory: results.json, training-log.csv and two PNG charts. */
public final class DemoExperiment {
    /** What the demo produced. */
    public record DemoResult(List<ArmResult> arms, Path runDirectory, String table) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;

    public DemoExperiment(DatasetLocator locator, Map<String, String> environment) {
        this.locator = locator;
        this.environment = environment;
    }

    public DemoResult run(DemoConfig config, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        OpenSetSplit split = OpenSetSplit.load(locator, config.dataDir(), environment, config.maxTrainImages(), config.maxTestImages());
        RunDirectory dir = new RunDirectory(config.out());
        List<ArmResult> arms = new ArrayList<>();
        RetrievalTrainer trainer = new RetrievalTrainer();
        TrainingConfig base = config.training();
        TrainingConfig[] configs = {
            base.withRegularizer(RegularizerKind.NONE, 0),
            base.withRegularizer(RegularizerKind.SVMAX, config.svmaxLambda()),
            base.withRegularizer(RegularizerKind.VICREG_VARIANCE, config.vicregLambda()),
        };
        for (TrainingConfig c : configs) {
            arms.add(trainer.run(c, split.train(), split.test(), progress));
            writeOutputs(dir, config, split, arms, (System.nanoTime() - start) / 1e9);
        }
        return new DemoResult(arms, dir.root(), table(arms));
    }

    private void writeOutputs(RunDirectory dir, DemoConfig config, OpenSetSplit split, List<ArmResult> arms, double seconds) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", "demo");
        List<Object> armList = new ArrayList<>();
        for (ArmResult a : arms) {
            armList.add(ArmReport.json(a));
        }
        results.put("arms", armList);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("training", config.training());
        cfg.put("svmaxLambda", config.svmaxLambda());
        cfg.put("vicregLambda", config.vicregLambda());
        cfg.put("data", ArmReport.dataJson(split));
        results.put("config", cfg);
        results.put("provenance", Provenance.collect(config.training().seed(),
                split.source().directory() + " (" + split.source().source() + ")", seconds, environment));
        ArmReport.writeFiles(dir, arms);
        dir.writeJson("results.json", results);
    }

    /** The comparison table printed at the end. */
    public static String table(List<ArmResult> arms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %6s %6s %6s %8s %17s %8s %9s%n", "arm", "R@1", "R@8", "NMI", "s_mu", "[L, U]", "eff.rank",
                "collapsed"));
        for (ArmResult a : arms) {
            var m = a.metrics();
            sb.append(String.format(Locale.ROOT, "%-16s %6.3f %6.3f %6.3f %8.4f [%6.4f, %6.4f] %8.1f %9d%s%n", a.name(), m.recallAt()[0],
                    m.recallAt()[3], m.nmi(), m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.effectiveRank(), m.collapsedDimensions(),
                    a.diverged() ? "  (diverged)" : ""));
        }
        return sb.toString();
    }
}
