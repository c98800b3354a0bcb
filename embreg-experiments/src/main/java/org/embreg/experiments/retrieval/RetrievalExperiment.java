package org.embreg.experiments.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.report.ArmReport;
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

    public RetrievalExperiment(DatasetLocator locator, Map<String, String> environment) {
        this.locator = locator;
        this.environment = environment;
    }

    public RetrievalTrainer.ArmResult run(Config config, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        OpenSetSplit split = OpenSetSplit.load(locator, config.dataDir(), environment, config.maxTrainImages(), config.maxTestImages());
        RunDirectory dir = new RunDirectory(config.out());
        RetrievalTrainer.ArmResult arm = new RetrievalTrainer().run(config.training(), split.train(), split.test(), progress);
        ArmReport.writeRun(dir, Map.of("experiment", "retrieval"), arm, split, (System.nanoTime() - start) / 1e9, environment);
        return arm;
    }
}
