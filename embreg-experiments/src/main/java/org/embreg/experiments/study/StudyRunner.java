package org.embreg.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.TrainingConfig;

/**
 * Runs the runs of a study one after another, each into {@code runs/<id>/} under the study's
 * directory. A run counts as finished once its results.json exists (written atomically, last); a
 * restarted study with the same directory reads finished runs back and trains only the others, so
 * a killed study loses at most the run in progress.
 */
public final class StudyRunner {
    /** One run of a study: a stable id (its directory name) and its configuration. */
    public record StudyRun(String id, TrainingConfig config) {
        /**
         * One arm of a study on the small CNN: the loss with batches of b = p x l (l the loss's
         * samples per class), the regularizer at its default weight for the loss.
         *
         * @param tag what tells this run apart besides loss, regularizer and learning rate
         *     ("b72-d64"), or "" for nothing; the id is loss-regularizer[-tag]-lr&lt;rate&gt;
         * @throws IllegalArgumentException if b is not a multiple of the loss's l
         */
        public static StudyRun arm(RankingLossKind loss, RegularizerKind reg, double lr, int batch, int dim, int width, long seed,
                int iterations, String tag) {
            int l = loss.samplesPerClass();
            if (batch % l != 0 || batch / l < 2) {
                throw new IllegalArgumentException("batch size " + batch + " for the " + loss.cliName() + " loss must be a multiple of its "
                        + l + " samples per class with at least 2 classes");
            }
            TrainingConfig c = new TrainingConfig(loss, Backbone.SMALL_CNN, null, iterations, lr, batch / l, l, dim, width, reg,
                    reg.defaultWeight(loss), seed, 10);
            String id = loss.cliName() + "-" + reg.armName() + (tag.isEmpty() ? "" : "-" + tag) + "-lr" + lr;
            return new StudyRun(id, c);
        }
    }

    private final Map<String, String> environment;

    public StudyRunner(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Runs a study on the open-set split of {@code dataDir} (null: the locator's data) into {@code out}. */
    public List<StudyRow> run(Study study, DatasetLocator locator, Path dataDir, Path out, ProgressListener progress) throws IOException {
        OpenSetSplit split = OpenSetSplit.load(locator, dataDir, environment, 0, study.maxTestImages());
        RunDirectory dir = new RunDirectory(out);
        return run(study.runs(), split, out, progress, rows -> study.writeReports(dir, rows));
    }

    /**
     * @param runs the runs, in order
     * @param split the data
     * @param out the study directory
     * @param afterEach called with all rows so far after every run (to rewrite the study's reports)
     * @return one row per run
     */
    public List<StudyRow> run(List<StudyRun> runs, OpenSetSplit split, Path out, ProgressListener progress, ReportWriter afterEach)
            throws IOException {
        List<StudyRow> rows = new ArrayList<>();
        RetrievalTrainer trainer = new RetrievalTrainer();
        for (int i = 0; i < runs.size(); i++) {
            StudyRun run = runs.get(i);
            Path dir = out.resolve("runs").resolve(run.id());
            Path results = dir.resolve("results.json");
            if (!Files.exists(results)) {
                long start = System.nanoTime();
                ProgressListener named = progress.renamed("[" + (i + 1) + "/" + runs.size() + "] " + run.id());
                RetrievalTrainer.ArmResult arm = trainer.run(run.config(), split.train(), split.test(), named);
                Map<String, Object> header = new LinkedHashMap<>();
                header.put("experiment", "study-run");
                header.put("id", run.id());
                ArmReport.writeRun(new RunDirectory(dir), header, arm, split, (System.nanoTime() - start) / 1e9, environment);
            }
            rows.add(StudyRow.read(run.id(), results));
            afterEach.write(rows);
        }
        return rows;
    }

    /** Rewrites a study's reports from the rows so far. */
    @FunctionalInterface
    public interface ReportWriter {
        void write(List<StudyRow> rows) throws IOException;
    }
}
