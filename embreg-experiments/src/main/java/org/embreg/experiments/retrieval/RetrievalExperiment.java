package org.embreg.experiments.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.Provenance;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.ProgressReporter;
import org.embreg.experiments.report.RunDirectory;

/**
 * One retrieval run ({@code embreg retrieval}): a ranking loss with an optional regularizer on a
 * backbone, trained on the open-set split, evaluated on the unseen classes. Writes results.json
 * (the arm's metrics at the top level, the config and provenance), training-log.csv, two charts
 * and the trained parameters.
 */
public final class RetrievalExperiment {
    /**
     * @param training the arm
     * @param dataDir an MNIST-layout directory, or null for Fashion-MNIST
     * @param out the run directory
     * @param maxTrainImages 0 = all
     * @param maxTestImages 0 = all
     */
    public record Config(TrainingConfig training, Path dataDir, Path out, int maxTrainImages, int maxTestImages) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;

    /**
     * @param locator finds the data
     * @param environment the process environment
     * @param solver the host eigensolver of every spectrum
     */
    public RetrievalExperiment(DatasetLocator locator, Map<String, String> environment, SymmetricEigenSolver solver) {
        this.locator = locator;
        this.environment = environment;
        this.solver = solver;
    }

    public ArmResult run(Config config, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        OpenSetSplit split = OpenSetSplit.load(locator, config.dataDir(), environment, config.maxTrainImages(), config.maxTestImages());
        RunDirectory dir = new RunDirectory(config.out());
        TrainingConfig c = config.training();
        ArmResult arm = new RetrievalTrainer(solver).run(c, split.train(), split.test(), progress, dir.root());
        ArmReport.writeRun(dir, "retrieval", null, arm, split, Provenance.collect(c.seed(), solver, split.describeSource(),
                (System.nanoTime() - start) / 1e9, environment));
        return arm;
    }
}
