package org.embreg.experiments.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.report.DataSummary;
import org.embreg.experiments.report.RunRecord;
import org.embreg.experiments.retrieval.OpenSetSplit;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.linalg.EigenSolvers;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted study reuses a finished run only when its record matches; damaged or other runs are trained again. */
class StudyResumeTest {
    @TempDir
    Path tmp;

    @Test
    void onlyMatchingFinishedRunsAreReused() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        StudyPreset tiny = new StudyPreset(2, new double[] {0.01}, 0);
        StudyRunner runner = new StudyRunner(Map.of(), EigenSolvers.ejml());
        DatasetLocator locator = DatasetLocator.fashionMnist(tmp);
        List<StudyRow> first = runner.run(new LearningRateStudy(tiny, List.of(RankingLossKind.CONTRASTIVE), 8, 8, 1), locator, data, out,
                ProgressReporter.NONE);
        Path none = out.resolve("runs/contrastive-none-lr0.01/results.json");
        Path svmax = out.resolve("runs/contrastive-svmax-lr0.01/results.json");
        FileTime noneTime = Files.getLastModifiedTime(none);

        // a damaged record (cut short by a crash of another tool) is trained again, not read as a result
        String whole = Files.readString(svmax);
        Files.writeString(svmax, whole.substring(0, whole.length() / 2));
        OpenSetSplit split = OpenSetSplit.load(locator, data, Map.of(), 0, 0);
        assertNull(StudyRunner.finished(svmax, new RunRecord.Config(first.get(2).training(), DataSummary.of(split))));
        List<StudyRow> second = runner.run(new LearningRateStudy(tiny, List.of(RankingLossKind.CONTRASTIVE), 8, 8, 1), locator, data, out,
                ProgressReporter.NONE);
        assertEquals(noneTime, Files.getLastModifiedTime(none), "the intact run is reused");
        assertEquals(first.get(2).metrics(), second.get(2).metrics(), "the damaged run, trained again, gives the same numbers");
        assertNotNull(StudyRunner.finished(svmax, new RunRecord.Config(first.get(2).training(), DataSummary.of(split))));

        // another seed is another study: nothing is reused
        List<StudyRow> reseeded = runner.run(new LearningRateStudy(tiny, List.of(RankingLossKind.CONTRASTIVE), 8, 8, 2), locator, data, out,
                ProgressReporter.NONE);
        assertNotEquals(noneTime, Files.getLastModifiedTime(none), "a run recorded with seed 1 is not reused for seed 2");
        for (StudyRow r : reseeded) {
            assertEquals(2, r.training().seed());
        }
    }
}
