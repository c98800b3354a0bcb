package org.embreg.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.model.Backbone;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.DataSummary;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.Results;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.report.RunRecord;
import org.embreg.experiments.retrieval.ArmResult;
import org.embreg.experiments.retrieval.BatchLayout;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.experiments.ssl.SslConfig;
import org.embreg.experiments.ssl.SslExperiment;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.ProgressReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the runs of a study one after another, each into {@code runs/<id>/} under the study's
 * directory. A run counts as finished once its results.json exists (written atomically, last) and
 * records the same configuration and data as the study asks for; a restarted study with the same
 * directory reads finished runs back and trains only the others, so a killed study loses at most
 * the run in progress. A damaged results.json, or one made with another configuration, is trained
 * again, with a warning that names it.
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
            BatchLayout layout = loss.layout(batch);
            TrainingConfig c = new TrainingConfig(loss, Backbone.SMALL_CNN, null, iterations, lr, layout.classesPerBatch(), layout.samplesPerClass(),
                    dim, width, reg, reg.defaultWeight(loss), seed, 10);
            String id = loss.cliName() + "-" + reg.armName() + (tag.isEmpty() ? "" : "-" + tag) + "-lr" + lr;
            return new StudyRun(id, c);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;

    /**
     * @param environment the process environment
     * @param solver the host eigensolver of every spectrum
     */
    public StudyRunner(Map<String, String> environment, SymmetricEigenSolver solver) {
        this.environment = environment;
        this.solver = solver;
    }

    /**
     * Runs a study on the open-set split of {@code dataDir} (null: the locator's data) into {@code out}:
     * its retrieval runs, then its self-supervised runs (on the same data), the reports rewritten after each.
     *
     * @return the retrieval runs' rows
     */
    public List<StudyRow> run(Study study, DatasetLocator locator, Path dataDir, Path out, ProgressReporter progress) throws IOException {
        OpenSetSplit split = OpenSetSplit.load(locator, dataDir, environment, 0, study.maxTestImages());
        RunDirectory dir = new RunDirectory(out);
        List<SslStudyRun> ssl = study.sslRuns();
        List<StudyRow> rows = run(study.runs(), split, out, progress, r -> study.writeReports(dir, r, List.of()));
        if (!ssl.isEmpty()) {
            runSsl(ssl, locator, dataDir, out, progress, s -> study.writeReports(dir, rows, s));
        }
        return rows;
    }

    /**
     * Runs self-supervised runs in order, each into {@code runs/<id>/} under {@code out}; a finished run
     * (its results.json of the same configuration, objective and data) is read back, not run again, and
     * a killed one continues from its checkpoint.
     *
     * @param afterEach called with all rows so far after every run
     * @return one row per run
     */
    public List<SslStudyRow> runSsl(List<SslStudyRun> runs, DatasetLocator locator, Path dataDir, Path out, ProgressReporter progress,
            ReportWriter<SslStudyRow> afterEach) throws IOException {
        SslExperiment experiment = new SslExperiment(locator, environment, solver);
        List<SslStudyRow> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            SslStudyRun run = runs.get(i);
            SslConfig c = run.config().at(dataDir, out.resolve("runs").resolve(run.id()));
            ProgressReporter named = progress.renamed("[" + (i + 1) + "/" + runs.size() + "] " + run.id());
            rows.add(new SslStudyRow(run, experiment.pretrainOnly(c, run.objective(), run.evaluateInit(), named)));
            afterEach.write(rows);
        }
        return rows;
    }

    /**
     * Runs the runs in order, reusing each finished run whose recorded configuration and data match.
     *
     * @param runs the runs, in order
     * @param split the data
     * @param out the study directory
     * @param afterEach called with all rows so far after every run (to rewrite the study's reports)
     * @return one row per run
     */
    public List<StudyRow> run(List<StudyRun> runs, OpenSetSplit split, Path out, ProgressReporter progress, ReportWriter<StudyRow> afterEach)
            throws IOException {
        List<StudyRow> rows = new ArrayList<>();
        RetrievalTrainer trainer = new RetrievalTrainer(solver);
        for (int i = 0; i < runs.size(); i++) {
            StudyRun run = runs.get(i);
            Path dir = out.resolve("runs").resolve(run.id());
            Path results = dir.resolve("results.json");
            RunRecord.Config expected = new RunRecord.Config(run.config(), DataSummary.of(split));
            RunRecord record = finished(results, expected);
            if (record == null) {
                long start = System.nanoTime();
                ProgressReporter named = progress.renamed("[" + (i + 1) + "/" + runs.size() + "] " + run.id());
                RunDirectory runDir = new RunDirectory(dir);
                ArmResult arm = trainer.run(run.config(), split.train(), split.test(), named, runDir.root());
                ArmReport.writeRun(runDir, "study-run", run.id(), arm, split, Provenance.collect(run.config().seed(), solver, split.describeSource(),
                        (System.nanoTime() - start) / 1e9, environment));
                record = Results.read(results, RunRecord.class);
            }
            rows.add(StudyRow.of(run.id(), record));
            afterEach.write(rows);
        }
        return rows;
    }

    /**
     * The run's record when it finished with the same configuration and data; null (with a warning
     * naming the file) when it is missing, damaged or partial, or was made with another
     * configuration.
     */
    static RunRecord finished(Path results, RunRecord.Config expected) {
        if (!Files.exists(results)) {
            return null;
        }
        RunRecord r;
        try {
            r = Results.read(results, RunRecord.class);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{} is damaged or incomplete ({}); training that run again", results, e.getMessage());
            return null;
        }
        if (!r.config().equals(expected)) {
            LOG.warn("{} was made with another configuration ({}); training that run again with {}", results, describe(r.config()),
                    describe(expected));
            return null;
        }
        return r;
    }

    private static String describe(RunRecord.Config c) {
        TrainingConfig t = c.training();
        return String.format(java.util.Locale.ROOT, "%s + %s, lambda %s, lr %s, K %d, batch %d x %d, d %d, width %d, seed %d, %d training and %d test images",
                t.loss().cliName(), t.regularizer().armName(), t.lambda(), t.learningRate(), t.iterations(), t.classesPerBatch(), t.samplesPerClass(),
                t.dim(), t.width(), t.seed(), c.data().trainImages(), c.data().testImages());
    }

    /**
     * Rewrites a study's reports from the rows so far.
     *
     * @param <R> the kind of row: {@link StudyRow} (retrieval) or {@link SslStudyRow} (self-supervised)
     */
    @FunctionalInterface
    public interface ReportWriter<R> {
        void write(List<R> rows) throws IOException;
    }
}
