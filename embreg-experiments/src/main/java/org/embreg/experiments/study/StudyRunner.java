package org.embreg.experiments.study;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.report.ArmReport;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.OpenSetSplit;
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
    public record StudyRun(String id, TrainingConfig config) {}

    private final Map<String, String> environment;

    public StudyRunner(Map<String, String> environment) {
        this.environment = environment;
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
        for (StudyRun run : runs) {
            Path dir = out.resolve("runs").resolve(run.id());
            Path results = dir.resolve("results.json");
            if (!Files.exists(results)) {
                long start = System.nanoTime();
                RetrievalTrainer.ArmResult arm = trainer.run(run.config(), split.train(), split.test(), progress);
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
