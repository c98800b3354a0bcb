package org.embreg.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import java.util.stream.Stream;
import org.embreg.EmbregException;
import org.embreg.loss.EmbeddingLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every embedding loss meets: agreement with a brute-force loop, a float64 central
 * finite-difference gradient on random and degenerate batches (rank 1 plus noise, identical rows,
 * b &lt; d, one class), row-permutation invariance where it applies, clear errors on bad input,
 * and one evaluation per training step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmbeddingLossContract {
    protected NDManager manager;

    @BeforeAll
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    void closeManager() {
        manager.close();
    }

    /** A fresh loss under test. */
    protected abstract EmbeddingLoss newLoss();

    /** The loss computed by an independent brute-force loop on plain arrays. */
    protected abstract double reference(double[][][] views, int[] labels);

    /** Whether permuting the rows (of every view and the labels alike) leaves the loss unchanged. */
    protected boolean rowPermutationInvariant() {
        return true;
    }

    /** Whether a batch's value depends on that batch alone (false for a loss that draws from its own generator). */
    protected boolean dependsOnTheBatchAlone() {
        return true;
    }

    /** Tolerance of the gradient check. */
    protected double gradientTolerance() {
        return 1e-5;
    }

    /** The scalar function of float64 views that the gradient check differentiates. */
    protected Function<NDList, NDArray> function(EmbeddingLoss loss, int[] labels) {
        return views -> evaluate(loss, views, labels);
    }

    protected static NDArray evaluate(EmbeddingLoss loss, NDList views, int[] labels) {
        NDManager m = views.get(0).getManager();
        NDList y = labels == null ? new NDList() : new NDList(m.create(labels));
        return loss.evaluate(y, views);
    }

    /** The views for a batch: the rows, and for two-view losses a deterministic second view. */
    protected double[][][] views(Batches.Batch batch, int count) {
        double[][] first = batch.rows();
        if (count == 1) {
            return new double[][][] {first};
        }
        double[][] second = new double[first.length][];
        double[][] noise = Batches.gaussian(first.length, first[0].length, 99);
        for (int i = 0; i < first.length; i++) {
            second[i] = first[i].clone();
            for (int j = 0; j < second[i].length; j++) {
                second[i][j] += 0.3 * noise[i][j];
            }
        }
        return new double[][][] {first, second};
    }

    Stream<Batches.Batch> batches() {
        return Stream.of(Batches.standard(11));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void agreesWithBruteForce(Batches.Batch batch) {
        EmbeddingLoss loss = newLoss();
        double[][][] v = views(batch, loss.views());
        try (NDManager scope = manager.newSubManager()) {
            double got = evaluate(loss, GradientCheck.toList(scope, v), batch.labels()).getDouble();
            double want = reference(v, batch.labels());
            assertTrue(Double.isFinite(got), batch + ": loss is not finite");
            assertEquals(want, got, 1e-8 * (1 + Math.abs(want)), batch + ": loss differs from the brute-force loop");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void gradientMatchesFiniteDifferences(Batches.Batch batch) {
        EmbeddingLoss loss = newLoss();
        GradientCheck.check(manager, views(batch, loss.views()), function(loss, batch.labels()), gradientTolerance(),
                getClass().getSimpleName() + " " + batch);
    }

    @Test
    void rowPermutationLeavesLossUnchanged() {
        if (!rowPermutationInvariant()) {
            return;
        }
        EmbeddingLoss loss = newLoss();
        Batches.Batch batch = Batches.standard(5)[0];
        double[][][] v = views(batch, loss.views());
        int b = v[0].length;
        int[] perm = new int[b];
        for (int i = 0; i < b; i++) {
            perm[i] = (i * 3 + 1) % b;
        }
        double[][][] pv = new double[v.length][b][];
        int[] pl = new int[b];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < v.length; k++) {
                pv[k][i] = v[k][perm[i]];
            }
            pl[i] = batch.labels()[perm[i]];
        }
        try (NDManager scope = manager.newSubManager()) {
            double a = evaluate(loss, GradientCheck.toList(scope, v), batch.labels()).getDouble();
            double p = evaluate(loss, GradientCheck.toList(scope, pv), pl).getDouble();
            assertEquals(a, p, 1e-9 * (1 + Math.abs(a)));
        }
    }

    @Test
    void nanEmbeddingsGiveAClearError() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            EmbeddingLoss loss = newLoss();
            double[][][] v = views(Batches.standard(3)[0], loss.views());
            v[0][2][1] = bad;
            try (NDManager scope = manager.newSubManager()) {
                NDList list = GradientCheck.toList(scope, v);
                org.embreg.NonFiniteException ex = assertThrows(org.embreg.NonFiniteException.class, () -> evaluate(loss, list, Batches.blockLabels(8, 2)),
                        "an entry " + bad);
                assertTrue(ex.getMessage().contains("NaN"), ex.getMessage());
                assertEquals(org.embreg.NonFiniteException.Source.INPUT, ex.source());
            }
        }
    }

    @Test
    void oneDimensionalInputGivesAClearError() {
        EmbeddingLoss loss = newLoss();
        try (NDManager scope = manager.newSubManager()) {
            NDList list = new NDList();
            for (int i = 0; i < loss.views(); i++) {
                list.add(scope.create(new double[] {1, 2, 3}));
            }
            EmbregException ex = assertThrows(EmbregException.class, () -> evaluate(loss, list, new int[] {0, 0, 1}));
            assertTrue(ex.getMessage().contains("(3)"), ex.getMessage());
        }
    }

    @Test
    void oneRowBatchGivesZeroAndAZeroGradient() {
        EmbeddingLoss loss = newLoss();
        try (NDManager scope = manager.newSubManager()) {
            NDList list = new NDList();
            for (int i = 0; i < loss.views(); i++) {
                NDArray v = scope.create(new double[][] {{0.3, -1.2, 0.5, 2.0}});
                v.setRequiresGradient(true);
                list.add(v);
            }
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray value = evaluate(loss, list, new int[] {0});
                assertEquals(0.0, value.getDouble(), "a one-row batch has nothing to learn from");
                gc.backward(value);
            }
            for (double g : list.get(0).getGradient().toDoubleArray()) {
                assertEquals(0.0, g);
            }
        }
    }

    @Test
    void resultHasTheDataTypeOfTheEmbeddings() {
        EmbeddingLoss loss = newLoss();
        double[][][] v = views(Batches.standard(3)[0], loss.views());
        try (NDManager scope = manager.newSubManager()) {
            NDList list = new NDList();
            for (NDArray a : GradientCheck.toList(scope, v)) {
                list.add(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
            }
            NDArray value = evaluate(loss, list, Batches.standard(3)[0].labels());
            assertEquals(ai.djl.ndarray.types.DataType.FLOAT32, value.getDataType(), "float32 in, float32 out (DJL's accumulators read a float)");
            for (org.embreg.loss.TermValue t : loss.lastTerms()) {
                assertTrue(Double.isFinite(t.value()), t.name());
            }
        }
    }

    @Test
    void termsAreReadBeforeTheirManagerCloses() {
        EmbeddingLoss loss = newLoss();
        Batches.Batch batch = Batches.standard(3)[0];
        try (NDManager scope = manager.newSubManager()) {
            evaluate(loss, GradientCheck.toList(scope, views(batch, loss.views())), batch.labels());
        }
        boolean engineTerms;
        try {
            loss.lastTerms();
            engineTerms = false;
        } catch (IllegalStateException e) {
            engineTerms = true;
            assertTrue(e.getMessage().contains("lastTerms()"), e.getMessage());
        }
        try (NDManager scope = manager.newSubManager()) {
            evaluate(loss, GradientCheck.toList(scope, views(batch, loss.views())), batch.labels());
            assertTrue(!loss.lastTerms().isEmpty() || !loss.lastCounts().isEmpty(), "the loss reports terms or counts");
        }
        assertTrue(engineTerms || loss.lastTerms().stream().allMatch(t -> Double.isFinite(t.value())));
    }

    @Test
    void wrongLabelCountGivesAClearError() {
        EmbeddingLoss loss = newLoss();
        if (!loss.needsLabels()) {
            return;
        }
        double[][][] v = views(Batches.standard(3)[0], loss.views());
        try (NDManager scope = manager.newSubManager()) {
            NDList list = GradientCheck.toList(scope, v);
            EmbregException ex = assertThrows(EmbregException.class, () -> evaluate(loss, list, new int[] {0, 1, 2}));
            assertTrue(ex.getMessage().contains("labels"), ex.getMessage());
        }
    }

    /**
     * One instance taken through batches of several shapes (and back) gives each the value and gradient of a fresh
     * instance, to the bit: whatever a loss keeps from one batch to the next (arrays, masks, layouts) never leaks.
     */
    @Test
    void oneInstanceOverSeveralShapesGivesWhatFreshInstancesGive() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dependsOnTheBatchAlone(), "draws from its own generator");
        EmbeddingLoss shared = newLoss();
        Batches.Batch[] standard = Batches.standard(5);
        Batches.Batch[] sequence = new Batches.Batch[standard.length + 1];
        System.arraycopy(standard, 0, sequence, 0, standard.length);
        sequence[standard.length] = standard[0];
        for (Batches.Batch batch : sequence) {
            double[] fresh = valueAndGradient(newLoss(), batch);
            org.junit.jupiter.api.Assertions.assertArrayEquals(fresh, valueAndGradient(shared, batch), 0.0, batch.toString());
        }
    }

    /** The value, then the gradient with respect to the first view, on float32 views of the batch. */
    private double[] valueAndGradient(EmbeddingLoss loss, Batches.Batch batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDList list = GradientCheck.toList(scope, views(batch, loss.views()));
            for (int i = 0; i < list.size(); i++) {
                list.set(i, list.get(i).toType(ai.djl.ndarray.types.DataType.FLOAT32, false));
            }
            NDList labels = batch.labels() == null ? new NDList() : new NDList(scope.create(batch.labels()));
            return GradientCheck.valueAndGradient(loss, labels, list);
        }
    }

    /**
     * The loss's temporary scope closes before the caller runs backward; nothing autograd keeps
     * for the backward pass may live in memory freed with it. Collects garbage and scribbles over
     * freed direct memory between forward and backward, then compares with an undisturbed run.
     */
    @Test
    void backwardAfterGarbageCollectionGivesTheSameGradient() {
        Batches.Batch batch = Batches.standard(21)[0];
        double[] quiet = gradient(batch, false);
        double[] disturbed = gradient(batch, true);
        org.junit.jupiter.api.Assertions.assertArrayEquals(quiet, disturbed, 1e-12);
    }

    private double[] gradient(Batches.Batch batch, boolean disturb) {
        EmbeddingLoss loss = newLoss();
        try (NDManager scope = manager.newSubManager()) {
            NDList list = GradientCheck.toList(scope, views(batch, loss.views()));
            list.get(0).setRequiresGradient(true);
            try (ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray value = evaluate(loss, list, batch.labels());
                if (disturb) {
                    for (int round = 0; round < 3; round++) {
                        System.gc();
                        for (int i = 0; i < 64; i++) {
                            java.nio.ByteBuffer junk = java.nio.ByteBuffer.allocateDirect(1 << 16);
                            while (junk.hasRemaining()) {
                                junk.put((byte) 0x7F);
                            }
                        }
                    }
                }
                gc.backward(value);
            }
            return list.get(0).getGradient().toDoubleArray();
        }
    }

    @Test
    void secondEvaluationOfTheSameBatchReusesTheFirst() {
        EmbeddingLoss loss = newLoss();
        Batches.Batch batch = Batches.standard(3)[0];
        try (NDManager scope = manager.newSubManager()) {
            NDList list = GradientCheck.toList(scope, views(batch, loss.views()));
            NDList y = new NDList(scope.create(batch.labels()));
            NDArray first = loss.evaluate(y, list);
            assertSame(first, loss.evaluate(y, list));
            assertTrue(!loss.lastTerms().isEmpty() || !loss.lastCounts().isEmpty(), "the loss reports its terms or counts");
        }
    }
}
