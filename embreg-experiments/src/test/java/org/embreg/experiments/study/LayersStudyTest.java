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
import org.embreg.experiments.ssl.SslConfig;
import org.embreg.experiments.ssl.SslEncoder;
import org.embreg.experiments.ssl.SslObjective;
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

    @Test
    void theSameArmsOnTheSelfSupervisedPipelineResumeAndReport() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        Path out = tmp.resolve("study");
        SslConfig tiny = new SslConfig(3, 8, 0.2, 0, 1, 16, SslEncoder.SMALL_RESNET, List.of(16, 16), 25, 25, 0, 1, 0, 0, 1, null, Path.of("."));
        LayersStudy study = new LayersStudy(new StudyPreset(1, new double[] {0.05}, 0), 1, List.of(Backbone.SMALL_CNN), 8, 8, List.of(1L, 2L), tiny);
        List<SslStudyRun> runs = study.sslRuns();
        int arms = LayersStudy.Arm.values().length;
        assertEquals(arms * 2, runs.size());
        StudyRunner runner = new StudyRunner(Map.of(), EigenSolvers.ejml());
        // the whole study: its retrieval runs, then the self-supervised ones
        List<StudyRow> retrieval = runner.run(study, DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE);
        assertEquals(arms * 2, retrieval.size());
        Path results = out.resolve("runs").resolve("ssl-none-seed1").resolve("results.json");
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(results);
        // run again: every finished run is read back, not trained again
        List<SslStudyRow> first = runner.runSsl(runs, DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE, rows -> {});
        assertEquals(written, Files.getLastModifiedTime(results));
        for (SslStudyRun run : runs) {
            // what was read back is the run asked for: its configuration on this data, in its own directory
            assertEquals(run.config().at(data, out.resolve("runs").resolve(run.id())),
                    first.stream().filter(r -> r.id().equals(run.id())).findFirst().orElseThrow().record().config());
            assertTrue(Files.exists(out.resolve("runs").resolve(run.id()).resolve("results.json")), run.id());
        }
        // the arms are what their names say: invariance alone, the regularizer on the expander's output, on every encoder layer too
        SslStudyRow none = findSsl(first, "ssl-none-seed1");
        SslStudyRow layers = findSsl(first, "ssl-svmax-all-layers-seed1");
        SslStudyRow decay = findSsl(first, "ssl-wd-2e-3-seed1");
        assertEquals(0, none.run().config().covarianceWeight());
        assertEquals(SslObjective.NO_VARIANCE, none.run().objective());
        assertEquals(SslObjective.SVMAX_BOUNDED, layers.run().objective());
        assertEquals(25, layers.run().config().layers().weight());
        assertEquals(SslObjective.VICREG, findSsl(first, "ssl-variance-all-layers-seed2").run().objective());
        assertEquals(2e-3, decay.run().config().weightDecay());
        assertEquals(none.result().layers().keySet(), layers.result().layers().keySet(), "every arm watches every encoder layer");
        assertEquals(4, none.result().layers().size());
        assertTrue(terms(layers).stream().anyMatch(t -> t.startsWith("layers.")), terms(layers).toString());
        assertTrue(terms(none).stream().noneMatch(t -> t.startsWith("layers.") || t.contains("svmax")), terms(none).toString());
        // invariance alone: the variance and covariance terms are logged but weigh nothing
        assertEquals(25 * term(none, "vicreg.invariance"), term(none, "vicreg.total"), 1e-6 * term(none, "vicreg.total"));
        assertTrue(term(none, "vicreg.variance") > 0 && term(none, "vicreg.covariance") > 0);
        assertNotEquals(none.result().finalTerms(), decay.result().finalTerms());
        // only the unregularized arm scores the initialization
        assertTrue(none.record().randomInitKnnTop1() != null && layers.record().randomInitKnnTop1() == null);
        // reports
        assertEquals(1 + arms * 2, Files.readAllLines(out.resolve("ssl-results.csv")).size());
        assertEquals(1 + arms * 2 * 4, Files.readAllLines(out.resolve("ssl-layers.csv")).size());
        String table = Files.readString(out.resolve("table.md"));
        assertTrue(table.contains("## small-cnn, lr 0.05") && table.indexOf("## small-cnn") < table.indexOf("## Self-supervised"), table);
        String sslSection = table.substring(table.indexOf("## Self-supervised"));
        for (LayersStudy.Arm arm : LayersStudy.Arm.values()) {
            assertTrue(sslSection.contains(". " + arm.label() + " |"), arm.label() + " in\n" + sslSection);
        }
        assertTrue(sslSection.contains("initialization these runs start from"), sslSection);
        for (String png : new String[] {"ssl-top1-by-arm.png", "effective-rank.png"}) {
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4), png);
        }
        // a finished run asked to score its initialization too: evaluated from its final checkpoint, not trained again
        SslStudyRun withInit = new SslStudyRun(layers.id(), layers.run().config(), layers.run().objective(), true);
        SslStudyRow scored = runner.runSsl(List.of(withInit), DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE, rows -> {}).get(0);
        assertEquals(none.record().randomInitKnnTop1(), scored.record().randomInitKnnTop1(), "the same seed, the same initialization");
        assertEquals(layers.result().knnTop1(), scored.result().knnTop1());
        assertEquals(layers.result().finalTerms(), scored.result().finalTerms());
        // a results.json of another configuration in a run's directory is refused by name, not overwritten
        SslStudyRun changed = new SslStudyRun("ssl-none-seed1", LayersStudy.Arm.NONE.sslConfig(tiny, 7), SslObjective.NO_VARIANCE, true);
        org.embreg.EmbregException e = org.junit.jupiter.api.Assertions.assertThrows(org.embreg.EmbregException.class,
                () -> runner.runSsl(List.of(changed), DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE, rows -> {}));
        assertTrue(e.getMessage().contains(results.toString()), e.getMessage());
        assertEquals(written, Files.getLastModifiedTime(results));
        // the study again without its self-supervised arms (--no-ssl), into the same directory: their reports go with them
        LayersStudy noSsl = new LayersStudy(study.preset(), 1, List.of(Backbone.SMALL_CNN), 8, 8, List.of(1L, 2L));
        runner.run(noSsl, DatasetLocator.fashionMnist(tmp), data, out, ProgressReporter.NONE);
        for (String stale : List.of("ssl-results.csv", "ssl-layers.csv", "ssl-top1-by-arm.png")) {
            org.junit.jupiter.api.Assertions.assertFalse(Files.exists(out.resolve(stale)), stale + " of the earlier run");
        }
        org.junit.jupiter.api.Assertions.assertFalse(Files.readString(out.resolve("table.md")).contains("## Self-supervised"));
        assertTrue(Files.exists(results), "the runs themselves stay");
    }

    private static double term(SslStudyRow r, String name) {
        return r.result().finalTerms().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().value();
    }

    private static List<String> terms(SslStudyRow r) {
        return r.result().finalTerms().stream().map(org.embreg.loss.TermValue::name).toList();
    }

    private static SslStudyRow findSsl(List<SslStudyRow> rows, String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no run " + id));
    }

    private static StudyRow find(List<StudyRow> rows, String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no run " + id));
    }
}
