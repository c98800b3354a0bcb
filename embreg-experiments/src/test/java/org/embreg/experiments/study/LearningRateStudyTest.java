package org.embreg.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.train.ProgressReporter;
import org.embreg.linalg.EigenSolvers;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.testing.MnistFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningRateStudyTest {
    @TempDir
    Path tmp;

    @Test
    void writesReportsAndResumesWithoutRetrainingFinishedRuns() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        StudyPreset tiny = new StudyPreset(2, new double[] {0.01, 1}, 0);
        List<RankingLossKind> losses = List.of(RankingLossKind.CONTRASTIVE, RankingLossKind.NPAIR);
        LearningRateStudy study = new LearningRateStudy(tiny, losses, 8, 8, 1);
        StudyRunner runner = new StudyRunner(Map.of(), EigenSolvers.ejml());
        DatasetLocator locator = DatasetLocator.fashionMnist(tmp);
        List<String> tasks = new java.util.ArrayList<>();
        ProgressReporter recording = new ProgressReporter() {
            @Override
            public void start(String task, long total) {
                tasks.add(task);
            }

            @Override
            public void step(long done, String message) {}

            @Override
            public void finish() {}
        };
        List<StudyRow> first = runner.run(study, locator, data, out, recording);
        assertEquals(2 * 2 * 3, first.size());
        assertEquals("[1/12] contrastive-none-lr0.01", tasks.get(0), "progress names the run and its place in the study");
        assertTrue(tasks.contains("[12/12] npair-svmax-lr1.0"), tasks.toString());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(1 + 12, csv.size());
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("## contrastive") && table.contains("## npair") && table.contains("| svmax |") && table.contains("+0.000"), table);
        byte[] png = Files.readAllBytes(out.resolve("recall-vs-lr.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));

        // a study killed during one run: that run's results are missing, the others stay
        Path killed = out.resolve("runs/npair-svmax-lr1.0/results.json");
        Files.delete(killed);
        Path kept = out.resolve("runs/contrastive-none-lr0.01/results.json");
        FileTime before = Files.getLastModifiedTime(kept);
        List<StudyRow> second = runner.run(study, locator, data, out, ProgressReporter.NONE);
        assertEquals(before, Files.getLastModifiedTime(kept), "finished runs are not trained again");
        assertTrue(Files.exists(killed));
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).metrics(), second.get(i).metrics(), first.get(i).id());
        }
    }
}
