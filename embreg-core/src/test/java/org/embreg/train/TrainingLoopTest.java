package org.embreg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.embreg.EmbregException;
import org.embreg.NonFiniteException;
import org.embreg.loss.ContrastiveLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop and its listeners on a tiny network: monitor, guard, checkpoint, term log. */
class TrainingLoopTest {
    static final int B = 16;
    static final int IN = 6;

    @TempDir
    Path tmp;

    /** mean(E^2) with its value reported as a term: overflows to infinity on huge inputs. */
    static final class SquareLoss extends EmbeddingLoss {
        SquareLoss() {
            super("square", 1, false);
        }

        @Override
        protected NDArray compute(NDList views, NDArray labels) {
            NDArray v = views.get(0).square().mean();
            report("square.mean", v, TermValue.Aggregate.MEAN);
            return v;
        }
    }

    /** Records every parameter's values at each training batch (before its update). */
    static final class ParameterCapture extends TrainingListenerAdapter {
        final List<List<float[]>> seen = new ArrayList<>();

        @Override
        public void onTrainingBatch(Trainer trainer, BatchData batchData) {
            seen.add(values(trainer));
        }
    }

    static List<float[]> values(Trainer trainer) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : trainer.getModel().getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    static float[] gaussian(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * IN];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static int[] labels() {
        int[] y = new int[B];
        for (int i = 0; i < B; i++) {
            y[i] = i / 4;
        }
        return y;
    }

    /** Trains a 6-8-4 network for the given iterations on the inputs the function gives. */
    static TrainingLoop.Outcome train(EmbeddingLoss loss, int iterations, IntFunction<float[]> inputs, TrainingListener... listeners) {
        return train(loss, iterations, 0.05f, inputs, listeners);
    }

    static TrainingLoop.Outcome train(EmbeddingLoss loss, int iterations, float lr, IntFunction<float[]> inputs, TrainingListener... listeners) {
        try (Model model = Model.newInstance("loop-test")) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Linear.builder().setUnits(4).build()));
            Engine.getInstance().setRandomSeed(7);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(lr)).build())
                    .addTrainingListeners(listeners);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(B, IN));
                TrainingLoop.Outcome outcome = TrainingLoop.run(trainer, iterations, (it, scope) -> {
                    NDList x = new NDList(scope.create(inputs.apply(it), new Shape(B, IN)));
                    NDList y = new NDList(scope.create(labels()));
                    NDList e;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        e = trainer.forward(x);
                        gc.backward(trainer.getLoss().evaluate(y, e));
                    }
                    return TrainingLoop.batchData(scope, x, y, e, it, iterations);
                });
                if (!outcome.diverged() || outcome.divergence().source() == NonFiniteException.Source.PARAMETER) {
                    return outcome;
                }
                // the update of the diverged step was not applied: the parameters are still finite
                for (float[] v : values(trainer)) {
                    for (float f : v) {
                        assertTrue(Float.isFinite(f));
                    }
                }
                return outcome;
            }
        }
    }

    @Test
    void healthyBatchesRaiseNoWarning() {
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(2).optIterations(5).build();
        TrainingLoop.Outcome o = train(new SquareLoss(), 5, it -> gaussian(B, it), monitor);
        assertTrue(o.completed(5));
        assertEquals(List.of(0, 2, 4), monitor.records().stream().map(MonitorRecord::iteration).toList());
        assertTrue(monitor.warnings().isEmpty(), monitor.warnings().toString());
        MonitorRecord r = monitor.records().get(0);
        assertEquals(B, r.measures().rows());
        assertEquals(4, r.measures().dim());
        assertTrue(r.measures().bandPosition() > 0.3, "spread rows sit high in their band: " + r.measures());
        assertTrue(Double.isFinite(r.term("square.mean")));
    }

    @Test
    void aCollapsedBatchIsFlaggedOncePerMeasureAndCanStopTraining() {
        float[] row = gaussian(1, 3);
        IntFunction<float[]> identical = it -> {
            float[] x = new float[B * IN];
            for (int i = 0; i < B; i++) {
                System.arraycopy(row, 0, x, i * IN, IN);
            }
            return x;
        };
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(1).build();
        assertTrue(train(new SquareLoss(), 3, identical, monitor).completed(3));
        List<CollapseMeasure> flagged = monitor.warnings().stream().map(CollapseWarning::measure).toList();
        assertEquals(List.of(CollapseMeasure.BAND_POSITION, CollapseMeasure.NORMALIZED_ROW_STD, CollapseMeasure.COLLAPSED_DIMENSIONS), flagged,
                "identical rows: rank 1, no spread, every column constant; each measure warned once over three steps");
        CollapseWarning w = monitor.warnings().get(2);
        assertEquals(4.0, w.value());
        assertTrue(w.message().contains("collapsed dimensions") && w.message().contains("4") && w.message().contains("maximum 0"), w.message());

        CollapseMonitor stopping = CollapseMonitor.builder().optEvery(1).optStopOnCollapse(true).build();
        TrainingLoop.Outcome o = train(new SquareLoss(), 3, identical, stopping);
        assertNotNull(o.stoppedBy());
        assertEquals(0, o.iterations(), "stopped at the first measurement, before its update");
        assertEquals(CollapseMeasure.BAND_POSITION, o.stoppedBy().measure());
    }

    @Test
    void theMonitorCanWatchAnInnerBlockAndRefusesAnUnknownOne() {
        CollapseMonitor inner = CollapseMonitor.builder().optEvery(1).optOutput(OutputSelector.blockOutput("01Linear")).build();
        train(new SquareLoss(), 1, it -> gaussian(B, it), inner);
        assertEquals(8, inner.records().get(0).measures().dim(), "the hidden layer has 8 units");
        CollapseMonitor unknown = CollapseMonitor.builder().optOutput(OutputSelector.blockOutput("09Conv2d")).build();
        EmbregException e = assertThrows(EmbregException.class, () -> train(new SquareLoss(), 1, it -> gaussian(B, it), unknown));
        assertTrue(e.getMessage().contains("09Conv2d") && e.getMessage().contains("01Linear") && e.getMessage().contains("02Linear"), e.getMessage());
    }

    @Test
    void theGuardStopsAtANonFiniteTermBeforeItsUpdateAndKeepsTheLastGoodParameters() {
        ParameterCapture capture = new ParameterCapture();
        CheckpointListener checkpoint = new CheckpointListener(tmp.resolve("last.params"), 1);
        IntFunction<float[]> overflowAt2 = it -> {
            float[] x = gaussian(B, it);
            if (it == 2) {
                java.util.Arrays.fill(x, 1e30f); // finite input, infinite mean(E^2) in float32
            }
            return x;
        };
        TrainingLoop.Outcome o = train(new SquareLoss(), 5, overflowAt2, capture, new DivergenceGuard(), checkpoint);
        assertTrue(o.diverged());
        assertEquals(2, o.divergence().iteration());
        assertEquals(NonFiniteException.Source.TERM, o.divergence().source());
        assertTrue(o.divergence().where().contains("square.mean"), o.divergence().where());
        assertEquals(2, o.iterations(), "two updates applied");
        assertEquals(2, checkpoint.lastGoodUpdates(), "the final checkpoint holds the parameters after two updates");
        assertTrue(Files.exists(tmp.resolve("last.params")));
        assertEquals(3, capture.seen.size());
    }

    @Test
    void aNonFiniteInputEndsTheRunAsADivergenceNamingTheInput() {
        IntFunction<float[]> nanAt1 = it -> {
            float[] x = gaussian(B, it);
            if (it == 1) {
                x[5] = Float.NaN;
            }
            return x;
        };
        CheckpointListener checkpoint = new CheckpointListener(null, 10);
        TrainingLoop.Outcome o = train(new SquareLoss(), 4, nanAt1, new DivergenceGuard(), checkpoint);
        assertEquals(1, o.divergence().iteration());
        assertEquals(NonFiniteException.Source.INPUT, o.divergence().source());
        assertTrue(o.divergence().where().contains("view 0 of square"), o.divergence().where());
        assertEquals(1, checkpoint.lastGoodUpdates());
        assertTrue(checkpoint.lastGood().isPresent());
    }

    @Test
    void anUpdateThatMakesTheParametersNonFiniteIsADivergenceOfTheParameters() {
        IntFunction<float[]> huge = it -> {
            float[] x = gaussian(B, it);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 1e10f; // finite inputs and loss, a gradient near 1e10
            }
            return x;
        };
        TrainingLoop.Outcome last = train(new SquareLoss(), 1, 1e30f, huge, new DivergenceGuard());
        assertEquals(NonFiniteException.Source.PARAMETER, last.divergence().source(), "the only update overflowed: " + last);
        assertEquals(0, last.divergence().iteration());
        TrainingLoop.Outcome middle = train(new SquareLoss(), 3, 1e30f, huge, new DivergenceGuard());
        assertEquals(NonFiniteException.Source.PARAMETER, middle.divergence().source(), middle.toString());
        assertEquals(0, middle.divergence().iteration(), "the update of iteration 0 did it, seen in iteration 1's input");
        assertEquals(1, middle.iterations());
    }

    @Test
    void theTermLogWritesEveryPartOfACompositeLoss() throws Exception {
        WeightedSumLoss loss = WeightedSumLoss.builder().add(1, ContrastiveLoss.builder().build()).add(0.5, SvmaxRegularizer.builder().build()).build();
        Path csv = tmp.resolve("terms.csv");
        train(loss, 5, it -> gaussian(B, it), new TermLogListener(csv, 2));
        List<String> lines = Files.readAllLines(csv);
        assertEquals(4, lines.size(), "header and iterations 0, 2, 4");
        assertEquals("iteration,total,contrastive,contrastive.positive,contrastive.negative,svmax,svmax.meanSingularValue,svmax.loss,"
                + "contrastive.positivePairs,contrastive.negativePairs", lines.get(0));
        String[] row = lines.get(1).split(",");
        double total = Double.parseDouble(row[1]);
        assertEquals(total, Double.parseDouble(row[2]) + Double.parseDouble(row[5]), 1e-5, "total = weighted parts");
        assertEquals(0.5 * Double.parseDouble(row[7]), Double.parseDouble(row[5]), 1e-5, "the svmax part is weighted");
        assertFalse(lines.get(2).contains(",,"));
    }

    @Test
    void theMonitorReusesTheSpectrumTheSvmaxLossComputed() {
        SvmaxRegularizer svmax = SvmaxRegularizer.builder().build();
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(1).build();
        train(svmax, 1, it -> gaussian(B, it), monitor);
        MonitorRecord r = monitor.records().get(0);
        assertEquals(r.term("svmax.meanSingularValue"), r.measures().meanSingularValue(), 0.0, "the very value the loss found");
    }
}
