package org.embreg.experiments.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.Lars;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checkpoint file alone: parameters back into a fresh network, and what it refuses. */
class TrainingCheckpointTest {
    @TempDir
    Path tmp;

    private interface WithTrainer {
        void accept(Trainer trainer, Lars lars) throws Exception;
    }

    private static void withTrainer(int seed, WithTrainer body) throws Exception {
        Lars lars = Lars.builder().setLearningRateTracker(Tracker.fixed(0.1f)).build();
        try (Model model = Model.newInstance("checkpoint")) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(seed);
            model.setBlock(Linear.builder().setUnits(3).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(lars))) {
                trainer.initialize(new Shape(2, 4));
                body.accept(trainer, lars);
            }
        }
    }

    @Test
    void parametersComeBackIntoAFreshNetworkAndTheStatesIntoItsListeners() throws Exception {
        Path file = tmp.resolve("run.checkpoint");
        float[][] saved = new float[1][];
        DivergenceGuard guard = new DivergenceGuard();
        guard.restore(new DivergenceGuard.State(7));
        withTrainer(1, (trainer, lars) -> {
            TrainingCheckpoint c = new TrainingCheckpoint(file, Map.of("steps", 10), 5, List.of(guard));
            assertTrue(c.save(trainer, lars, 7));
            saved[0] = trainer.getModel().getBlock().getParameters().get("weight").getArray().toFloatArray();
        });
        DivergenceGuard fresh = new DivergenceGuard();
        withTrainer(2, (trainer, lars) -> {
            TrainingCheckpoint c = new TrainingCheckpoint(file, Map.of("steps", 10), 5, List.of(fresh));
            TrainingCheckpoint.Saved s = c.read(10).orElseThrow();
            assertEquals(7, s.updates());
            c.restore(s, trainer, lars);
            assertArrayEquals(saved[0], trainer.getModel().getBlock().getParameters().get("weight").getArray().toFloatArray());
            assertEquals(new DivergenceGuard.State(7), fresh.snapshot());
            assertEquals(7, c.updates());
        });
    }

    @Test
    void refusesAnotherRunOtherListenersAndAStepPastTheRun() throws Exception {
        Path file = tmp.resolve("run.checkpoint");
        withTrainer(1, (trainer, lars) -> new TrainingCheckpoint(file, Map.of("steps", 10), 5, List.of(new DivergenceGuard())).save(trainer, lars, 7));
        EmbregException other = assertThrows(EmbregException.class,
                () -> new TrainingCheckpoint(file, Map.of("steps", 12), 5, List.of(new DivergenceGuard())).read(12));
        assertTrue(other.getMessage().contains(file.toString()) && other.getMessage().contains("steps: 10 there, 12 here"), other.getMessage());
        EmbregException listeners = assertThrows(EmbregException.class, () -> new TrainingCheckpoint(file, Map.of("steps", 10), 5,
                List.of(new ProgressTrainingListener(ProgressReporter.NONE, "x", 10, 1))).read(10));
        assertTrue(listeners.getMessage().contains("DivergenceGuard$State") && listeners.getMessage().contains("ProgressTrainingListener$State"),
                listeners.getMessage());
        EmbregException past = assertThrows(EmbregException.class,
                () -> new TrainingCheckpoint(file, Map.of("steps", 10), 5, List.of(new DivergenceGuard())).read(6));
        assertTrue(past.getMessage().contains("7 updates of a run of 6"), past.getMessage());
        assertTrue(new TrainingCheckpoint(tmp.resolve("none"), Map.of("steps", 10), 5, List.of()).read(10).isEmpty());
    }
}
