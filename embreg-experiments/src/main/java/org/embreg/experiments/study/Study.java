package org.embreg.experiments.study;

import java.io.IOException;
import java.util.List;
import org.embreg.experiments.report.RunDirectory;

/**
 * One of the paper's studies: a fixed list of runs and the reports written from their rows.
 * {@link StudyRunner} trains the runs (skipping finished ones) and rewrites the reports after every
 * run.
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
}
