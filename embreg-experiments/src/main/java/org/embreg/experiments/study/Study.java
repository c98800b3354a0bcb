package org.embreg.experiments.study;

import java.io.IOException;
import java.util.List;
import org.embreg.experiments.report.RunDirectory;

/**
 * One of the paper's studies: a fixed list of runs (retrieval runs, and self-supervised ones where
 * the study has them) and the reports written from their rows. {@link StudyRunner} trains the runs
 * (skipping finished ones) and rewrites the reports after every run.
 */
public interface Study {
    /** The runs, in order, each with a stable id (its directory under runs/). */
    List<StudyRunner.StudyRun> runs();

    /** Iterations, learning rates and test images. */
    StudyPreset preset();

    /** How many test images to evaluate on (0 = all). */
    default int maxTestImages() {
        return preset().maxTestImages();
    }

    /** Rewrites the study's reports (results.csv, table.md, charts) from the rows so far. */
    void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException;

    /** The study's self-supervised runs, trained after the retrieval runs (none unless the study has them). */
    default List<SslStudyRun> sslRuns() {
        return List.of();
    }

    /** Rewrites the reports from the retrieval rows and the self-supervised rows so far. */
    default void writeReports(RunDirectory dir, List<StudyRow> rows, List<SslStudyRow> ssl) throws IOException {
        writeReports(dir, rows);
    }
}
