package org.embreg.experiments.ssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.DatasetLocator;
import org.embreg.linalg.EigenSolvers;
import org.embreg.testing.MnistFixture;
import org.embreg.train.ProgressReporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssl} killed and started again with the same directory continues from its last checkpoint
 * and ends exactly where the uninterrupted run ends; a missing checkpoint starts over, a truncated
 * one or one of another run is refused by name.
 */
class SslResumeTest {
    /** A checkpoint every 2 updates, so that a run of 6 has some to resume from. */
    private static final int EVERY = 2;

    @TempDir
    Path tmp;
    private Path data;
    private SslExperiment experiment;

    @BeforeEach
    void setUp() throws Exception {
        data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        experiment = new SslExperiment(DatasetLocator.fashionMnist(tmp), Map.of(), EigenSolvers.ejml(), EVERY);
    }

    private SslConfig config(Path out, int steps) {
        return new SslConfig(steps, 8, 0.2, 1e-6, 1, 16, SslEncoder.SMALL_RESNET, List.of(16, 16), 25, 25, 1, 3, 0, 0, 1, data, out);
    }

    /** Stands for a kill: the run stops at the first progress report of {@code task} at or past {@code step}. */
    private static final class Killed extends RuntimeException {
        Killed(String where) {
            super(where);
        }
    }

    private static ProgressReporter killAt(String task, long step) {
        return new ProgressReporter() {
            private String current;

            @Override
            public void start(String t, long total) {
                current = t;
            }

            @Override
            public void step(long done, String message) {
                if (current.equals(task) && done >= step && !message.equals("resumed")) {
                    throw new Killed(task + " at " + done);
                }
            }

            @Override
            public void finish() {}
        };
    }

    private static void assertSameRun(Path a, Path b, SslExperiment.SslRecord ra, SslExperiment.SslRecord rb) throws Exception {
        assertEquals(ra.knnTop1(), rb.knnTop1());
        assertEquals(ra.linearTop1(), rb.linearTop1());
        assertEquals(ra.supervisedKnnTop1(), rb.supervisedKnnTop1());
        assertEquals(ra.supervisedLinearTop1(), rb.supervisedLinearTop1());
        assertEquals(ra.finalTerms(), rb.finalTerms());
        assertEquals(ra.onlineKnn(), rb.onlineKnn());
        assertEquals(ra.representation(), rb.representation());
        assertEquals(ra.collapseWarnings(), rb.collapseWarnings());
        for (String f : new String[] {"terms.csv", "monitor-embedding.csv", "monitor-representation.csv", "online-knn.csv"}) {
            assertEquals(Files.readString(a.resolve(f)), Files.readString(b.resolve(f)), f);
        }
        assertTrue(Arrays.equals(Files.readAllBytes(a.resolve("vicreg.params")), Files.readAllBytes(b.resolve("vicreg.params"))),
                "the final parameters differ");
    }

    @Test
    void aRunKilledInEachPhaseEndsWhereTheUninterruptedRunEnds() throws Exception {
        SslExperiment.SslRecord whole = experiment.run(config(tmp.resolve("whole"), 6), ProgressReporter.NONE).record();
        Path out = tmp.resolve("killed");
        assertThrows(Killed.class, () -> experiment.run(config(out, 6), killAt("vicreg", 5)));
        assertTrue(Files.isRegularFile(out.resolve("pretraining.checkpoint")));
        assertFalse(Files.exists(out.resolve("results.json")), "a killed run left a result");
        // pretraining finishes from its checkpoint of 4 updates, then the supervised reference is killed in turn
        assertThrows(Killed.class, () -> experiment.run(config(out, 6), killAt("supervised", 3)));
        assertTrue(Files.isRegularFile(out.resolve("supervised.checkpoint")));
        assertFalse(Files.exists(out.resolve("results.json")));
        SslExperiment.SslRecord resumed = experiment.run(config(out, 6), ProgressReporter.NONE).record();
        assertSameRun(tmp.resolve("whole"), out, whole, resumed);
        assertEquals(whole.pretrainSeconds() > 0, resumed.pretrainSeconds() > 0);
        // a finished run's directory run again: from its final checkpoints, the same result
        SslExperiment.SslRecord again = experiment.run(config(out, 6), ProgressReporter.NONE).record();
        assertSameRun(tmp.resolve("whole"), out, whole, again);
        // that run made no batch: the views' cost is absent, not NaN (which JSON cannot hold)
        assertEquals(null, again.augmentationSecondsPerStep());
        assertTrue(whole.augmentationSecondsPerStep() > 0);
    }

    @Test
    void aDeletedCheckpointStartsOverAndEndsTheSame() throws Exception {
        SslExperiment.SslRecord whole = experiment.run(config(tmp.resolve("whole"), 6), ProgressReporter.NONE).record();
        Path out = tmp.resolve("deleted");
        assertThrows(Killed.class, () -> experiment.run(config(out, 6), killAt("vicreg", 5)));
        Files.delete(out.resolve("pretraining.checkpoint"));
        SslExperiment.SslRecord again = experiment.run(config(out, 6), ProgressReporter.NONE).record();
        assertSameRun(tmp.resolve("whole"), out, whole, again);
    }

    @Test
    void aTruncatedOrForeignCheckpointIsRefusedByName() throws Exception {
        Path out = tmp.resolve("broken");
        assertThrows(Killed.class, () -> experiment.run(config(out, 6), killAt("vicreg", 5)));
        Path checkpoint = out.resolve("pretraining.checkpoint");
        byte[] whole = Files.readAllBytes(checkpoint);

        // another configuration in the same directory
        EmbregException other = assertThrows(EmbregException.class, () -> experiment.run(config(out, 8), ProgressReporter.NONE));
        assertTrue(other.getMessage().contains(checkpoint.toString()) && other.getMessage().contains("steps: 6 there, 8 here"), other.getMessage());

        // cut short, as a write that did not finish would leave it (the real writes are atomic)
        Files.write(checkpoint, Arrays.copyOf(whole, whole.length - 100));
        EmbregException truncated = assertThrows(EmbregException.class, () -> experiment.run(config(out, 6), ProgressReporter.NONE));
        assertTrue(truncated.getMessage().contains(checkpoint.toString()) && truncated.getMessage().contains("truncated"), truncated.getMessage());

        // one byte changed
        byte[] flipped = whole.clone();
        flipped[whole.length / 2] ^= 1;
        Files.write(checkpoint, flipped);
        EmbregException corrupt = assertThrows(EmbregException.class, () -> experiment.run(config(out, 6), ProgressReporter.NONE));
        assertTrue(corrupt.getMessage().contains("checksum"), corrupt.getMessage());

        Files.write(checkpoint, new byte[0]);
        assertThrows(EmbregException.class, () -> experiment.run(config(out, 6), ProgressReporter.NONE));
        assertFalse(Files.exists(out.resolve("results.json")));
    }

    @Test
    void anInterruptedAblationKeepsTheObjectivesItFinished() throws Exception {
        Path whole = tmp.resolve("ablation-whole");
        SslExperiment.AblationResult a = experiment.ablation(config(whole, 4), ProgressReporter.NONE);
        Path out = tmp.resolve("ablation-killed");
        assertThrows(Killed.class, () -> experiment.ablation(config(out, 4), killAt("no-covariance", 3)));
        com.google.gson.JsonArray partial = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("ablation.json")))
                .getAsJsonObject().getAsJsonArray("runs");
        assertEquals(List.of("vicreg", "no-variance"), partial.asList().stream().map(r -> r.getAsJsonObject().get("objective").getAsString()).toList());
        SslExperiment.AblationResult b = experiment.ablation(config(out, 4), killAt("vicreg", 0));
        assertEquals(a.runs().stream().map(SslExperiment.Pretrained::objective).toList(),
                b.runs().stream().map(SslExperiment.Pretrained::objective).toList());
        for (int i = 0; i < a.runs().size(); i++) {
            assertEquals(a.runs().get(i).knnTop1(), b.runs().get(i).knnTop1(), a.runs().get(i).objective());
            assertEquals(a.runs().get(i).finalTerms(), b.runs().get(i).finalTerms(), a.runs().get(i).objective());
        }
    }
}
