package org.embreg.experiments.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embreg.data.DatasetLocator;
import org.embreg.experiments.model.Backbone;
import org.embreg.linalg.EigenSolvers;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayersStudyTest {
    @TempDir
    Path tmp;

    @Test
    void everyArmOverSeedsWithEachLayersRankAndTheTimePerStep() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        LayersStudy study = new LayersStudy(new StudyPreset(2, new double[] {0.05}, 0), 2, List.of(Backbone.SMALL_CNN), 8, 8, List.of(1L, 2L));
        List<StudyRow> rows = new StudyRunner(Map.of(), EigenSolvers.ejml()).run(study, DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE);
        int arms = LayersStudy.Arm.values().length;
        assertEquals(arms * 2, rows.size());
        assertEquals("small-cnn-none-lr0.05-seed1", rows.get(0).id());
        assertEquals(1 + arms * 2, Files.readAllLines(out.resolve("results.csv")).size());
        List<String> layers = Files.readAllLines(out.resolve("layers.csv"));
        assertEquals(1 + arms * 2 * 3, layers.size(), "three layers of every run, every arm watched");
        assertTrue(layers.get(1).contains(",03LambdaBlock,"), layers.get(1));
        String table = Files.readString(out.resolve("table.md"));
        for (LayersStudy.Arm arm : LayersStudy.Arm.values()) {
            assertTrue(table.contains(". " + arm.label() + " |"), arm.label() + " in\n" + table);
        }
        assertTrue(table.contains("0 of 2") && table.contains(" ± ") && table.contains("(1.00)"), table);
        for (String png : new String[] {"recall-by-arm.png", "effective-rank.png"}) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4), png);
        }
        // the arms differ where they should: the same seed, another objective or optimizer
        StudyRow none = find(rows, "small-cnn-none-lr0.05-seed1");
        assertNotEquals(none.metrics(), find(rows, "small-cnn-svmax-all-layers-lr0.05-seed1").metrics());
        assertNotEquals(none.metrics(), find(rows, "small-cnn-wd-2e-3-lr0.05-seed1").metrics());
        assertEquals(LayersStudy.Arm.WEIGHT_DECAY_SVMAX_LAYERS, LayersStudy.Arm.of(find(rows, "small-cnn-wd-5e-4+svmax-all-layers-lr0.05-seed2").training()));
    }

    private static StudyRow find(List<StudyRow> rows, String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no run " + id));
    }
}
