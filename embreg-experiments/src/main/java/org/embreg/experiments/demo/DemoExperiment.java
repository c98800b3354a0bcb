package org.embreg.experiments.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.report.ArmRecord;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.DataSummary;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.ProgressReporter;

/** Runs the demo and writes its run directory: results.json, training-log.csv and two PNG charts. */
public final class DemoExperiment {
    /** What the demo produced. */
    public record DemoResult(List<ArmResult> arms, Path runDirectory, String table) {}

    /**
     * The demo's results.json.
     *
     * @param experiment "demo"
     * @param arms the arms trained so far
     * @param config what it ran
     * @param provenance where it came from
     */
    public record DemoRecord(String experiment, List<ArmRecord> arms, Config config, Provenance provenance) {}

    /**
     * The demo's configuration as recorded.
     *
     * @param training the shared training configuration (each arm replaces the regularizer)
     * @param svmaxLambda SVMax weight
     * @param vicregLambda VICReg variance weight
     * @param data the data
     */
    public record Config(TrainingConfig training, double svmaxLambda, double vicregLambda, DataSummary data) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;

    /**
     * @param locator finds the data
     * @param environment the process environment
     * @param solver the host eigensolver of every spectrum
     */
    public DemoExperiment(DatasetLocator locator, Map<String, String> environment, SymmetricEigenSolver solver) {
        this.locator = locator;
        this.environment = environment;
        this.solver = solver;
    }

    public DemoResult run(DemoConfig config, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        OpenSetSplit split = OpenSetSplit.load(locator, config.dataDir(), environment, config.maxTrainImages(), config.maxTestImages());
        RunDirectory dir = new RunDirectory(config.out());
        List<ArmResult> arms = new ArrayList<>();
        RetrievalTrainer trainer = new RetrievalTrainer(solver);
        TrainingConfig base = config.training();
        TrainingConfig[] configs = {
            base.withRegularizer(RegularizerKind.NONE, 0),
            base.withRegularizer(RegularizerKind.SVMAX, config.svmaxLambda()),
            base.withRegularizer(RegularizerKind.VICREG_VARIANCE, config.vicregLambda()),
        };
        for (TrainingConfig c : configs) {
            arms.add(trainer.run(c, split.train(), split.test(), progress, dir.root()));
            ArmReport.writeFiles(dir, arms);
            dir.writeJson("results.json", new DemoRecord("demo", arms.stream().map(ArmRecord::of).toList(),
                    new Config(base, config.svmaxLambda(), config.vicregLambda(), DataSummary.of(split)),
                    Provenance.collect(base.seed(), solver, split.describeSource(), (System.nanoTime() - start) / 1e9, environment)));
        }
        return new DemoResult(arms, dir.root(), table(arms));
    }

    /** The comparison table printed at the end. */
    public static String table(List<ArmResult> arms) {
        StringBuilder sb = new StringBuilder();
        int last = java.util.Collections.max(org.embreg.metric.RecallAtK.PAPER_KS);
        sb.append(String.format(Locale.ROOT, "%-16s %6s %6s %6s %8s %17s %8s %9s%n", "arm", "R@1", "R@" + last, "NMI", "s_mu", "[L, U]", "eff.rank",
                "collapsed"));
        for (ArmResult a : arms) {
            var m = a.metrics();
            if (m == null) {
                sb.append(String.format(Locale.ROOT, "%-16s %s%n", a.name(), a.outcome().divergence().describe()));
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%-16s %6.3f %6.3f %6.3f %8.4f [%6.4f, %6.4f] %8.1f %9d%n", a.name(), m.recallAt1(),
                    m.recallAt().get(last), m.nmi(), m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.effectiveRank(), m.collapsedDimensions()));
        }
        return sb.toString();
    }
}
