package org.embreg.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.embreg.data.DatasetLocator;
import org.embreg.train.ProgressReporter;
import org.embreg.linalg.EigenSolvers;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.TrainingConfig;
import org.embreg.testing.MnistFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchDimAndSpectrumStudyTest {
    private static final StudyPreset TINY = new StudyPreset(1, new double[] {1}, 0);

    @TempDir
    Path tmp;

    @Test
    void batchDimRunsEverySizeWithOneLambdaPerLoss() {
        BatchDimStudy study = new BatchDimStudy(new StudyPreset(3, new double[] {0.1, 8}, 0), List.of(RankingLossKind.CONTRASTIVE,
                RankingLossKind.TRIPLET), 8, 7);
        List<StudyRunner.StudyRun> runs = study.runs();
        assertEquals(2 * 2 * 2 * 2 * 2, runs.size());
        assertEquals(runs.size(), runs.stream().map(StudyRunner.StudyRun::id).distinct().count(), "ids are distinct");
        Set<String> sizes = new HashSet<>();
        for (StudyRunner.StudyRun run : runs) {
            TrainingConfig c = run.config();
            sizes.add(c.batchSize() + "x" + c.dim());
            assertEquals(c.loss().samplesPerClass(), c.samplesPerClass(), run.id());
            assertEquals(c.regularizer() == RegularizerKind.SVMAX ? c.loss().svmaxWeight() : 0, c.lambda(), run.id());
            assertEquals(3, c.iterations());
            assertEquals(7, c.seed());
            assertTrue(run.id().contains("-b" + c.batchSize() + "-d" + c.dim() + "-"), run.id());
        }
        assertEquals(Set.of("72x64", "72x256", "288x64", "288x256"), sizes);
    }

    @Test
    void aBatchSizeThatIsNotAMultipleOfTheLossLayoutIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudyRunner.StudyRun.arm(RankingLossKind.TRIPLET, RegularizerKind.NONE, 1, 100, 8, 2, 1, 1, ""));
        assertTrue(e.getMessage().contains("100") && e.getMessage().contains("triplet"), e.getMessage());
    }

    @Test
    void batchDimWritesOneBlockPerSize() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        List<StudyRow> rows = new StudyRunner(Map.of(), EigenSolvers.ejml()).run(new BatchDimStudy(TINY, List.of(RankingLossKind.CONTRASTIVE), 8, 1),
                DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE);
        assertEquals(8, rows.size());
        String table = Files.readString(out.resolve("table.md"));
        for (String block : List.of("contrastive, b = 72, d = 64", "contrastive, b = 72, d = 256", "contrastive, b = 288, d = 64",
                "contrastive, b = 288, d = 256")) {
            assertTrue(table.contains("## " + block), table);
        }
        assertEquals(1 + 8, Files.readAllLines(out.resolve("results.csv")).size());
        assertPng(out.resolve("recall-vs-lr.png"));
    }

    @Test
    void spectrumReportsTestMeanSingularValuesInsideTheirBoundsPerBatchSize() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        SpectrumStudy study = new SpectrumStudy(TINY, List.of(RankingLossKind.CONTRASTIVE), 8, 8, 1);
        List<StudyRow> rows = new StudyRunner(Map.of(), EigenSolvers.ejml()).run(study, DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE);
        assertEquals(SpectrumStudy.BATCH_SIZES.size() * 2, rows.size());
        assertArrayEquals(SpectrumStudy.BATCH_SIZES.stream().mapToInt(Integer::intValue).toArray(), rows.stream().mapToInt(StudyRow::batch).distinct().sorted().toArray());
        for (StudyRow r : rows) {
            var m = r.metrics();
            assertTrue(m.lowerBound() - 1e-9 <= m.meanSingularValue() && m.meanSingularValue() <= m.upperBound() + 1e-9,
                    r.id() + ": " + m.meanSingularValue() + " outside [" + m.lowerBound() + ", " + m.upperBound() + "]");
        }
        String table = Files.readString(out.resolve("table.md"));
        var first = rows.get(0).metrics();
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "L = %.3f, U = %.3f", first.lowerBound(), first.upperBound())), table);
        assertTrue(table.contains("| svmax, lr 1.0 |") && table.contains("| none, lr 1.0 |"), table);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, " %.3f / %.3f / ", first.meanSingularValue(), rows.get(0).recallAt1())), table);
        assertPng(out.resolve("spectrum.png"));
    }

    private static void assertPng(Path file) throws Exception {
        byte[] png = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4), file.toString());
    }
}
