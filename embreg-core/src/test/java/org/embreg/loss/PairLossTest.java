package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.embreg.NonFiniteException;
import org.embreg.testing.Batches;
import org.junit.jupiter.api.Test;

/**
 * The host route of the ranking losses: pairs of near-duplicate rows are measured by their
 * differences (the Gram form cannot resolve a distance of 1e-5 in float32), and their gradient keeps
 * its float64 value in float32; non-finite inputs are found on the host.
 */
class PairLossTest {
    /** Six rows in three classes; row 3 (class 1) is row 0 (class 0) moved by 1e-5: a near-duplicate negative. */
    static double[][] nearDuplicateNegative() {
        double[][] x = Batches.gaussian(6, 8, 7);
        x[3] = x[0].clone();
        x[3][2] += 1e-5;
        return x;
    }

    static final int[] LABELS = {0, 0, 1, 1, 2, 2};

    static double[] gradient(EmbeddingLoss loss, double[][] rows, DataType type, double[] value) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(rows).toType(type, false);
            e.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = loss.evaluate(new NDList(m.create(LABELS)), new NDList(e));
                value[0] = v.toType(DataType.FLOAT64, false).getDouble();
                gc.backward(v);
            }
            return e.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
        }
    }

    @Test
    void nearDuplicateNegativeKeepsItsGradientInFloat32() {
        List<EmbeddingLoss> losses = List.of(ContrastiveLoss.builder().build(), TripletLoss.builder().optMining(TripletLoss.Mining.ALL).build(),
                LiftedStructuredLoss.builder().build());
        double[][] x = nearDuplicateNegative();
        for (EmbeddingLoss loss : losses) {
            double[] v64 = new double[1];
            double[] v32 = new double[1];
            double[] want = gradient(loss, x, DataType.FLOAT64, v64);
            double[] got = gradient(loss, x, DataType.FLOAT32, v32);
            double scale = 0;
            for (double g : want) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(scale > 0.05, loss.getName() + ": the near pair gives a gradient of order 1 / (count |e|), got " + scale);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-2 * scale, loss.getName() + ": gradient entry " + i + " in float32");
            }
            assertEquals(v64[0], v32[0], 1e-5 * (1 + Math.abs(v64[0])), loss.getName() + ": value in float32");
        }
    }

    /**
     * A near pair's distance gradient goes by the pair's difference, whether or not the loss first asked for all
     * distances at once (which keeps every pair's squared distance and route for the gradient).
     */
    @Test
    void aNearPairsGradientGoesByItsDifferenceWithOrWithoutAllDistances() {
        double[][] x = nearDuplicateNegative();
        for (double[] row : x) {
            double n = Math.sqrt(java.util.Arrays.stream(row).map(v -> v * v).sum());
            for (int k = 0; k < row.length; k++) {
                row[k] /= n;
            }
        }
        int b = x.length;
        int dim = x[0].length;
        for (boolean allFirst : new boolean[] {false, true}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray e = m.create(x).toType(DataType.FLOAT32, false);
                double[] rows = Embeddings.hostValues(e);
                double[] s = new double[b * b];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < b; j++) {
                        for (int k = 0; k < dim; k++) {
                            s[i * b + j] += rows[i * dim + k] * rows[j * dim + k];
                        }
                    }
                }
                double[] ones = new double[b];
                java.util.Arrays.fill(ones, 1);
                PairLoss.Batch batch = new PairLoss.Batch(new PairProducts.OnEngine(e), ones, s, LABELS, 1e-3, new PairLayout(b, null));
                double exact = 0;
                for (int k = 0; k < dim; k++) {
                    exact += (rows[k] - rows[3 * dim + k]) * (rows[k] - rows[3 * dim + k]);
                }
                exact = Math.sqrt(exact);
                if (allFirst) {
                    assertEquals(exact, batch.distances()[3], 1e-12, "all distances: the near pair's, by its difference");
                    PairLoss.Batch fresh = new PairLoss.Batch(new PairProducts.OnEngine(e), ones, s, LABELS, 1e-3, new PairLayout(b, null));
                    assertEquals(fresh.distance(0, 1), batch.distances()[1], 0, "all distances equal each pair's measured alone");
                }
                assertEquals(exact, batch.distance(0, 3), 1e-12, "the near pair's distance, by its difference (all first: " + allFirst + ")");
                batch.addDistanceGradient(0, 3, 1);
                double[] direct = batch.foldDistanceGradient();
                assertTrue(direct != null, "the near pair's gradient goes by its difference (all first: " + allFirst + ")");
                for (int k = 0; k < dim; k++) {
                    double want = (rows[k] - rows[3 * dim + k]) / exact;
                    assertEquals(want, direct[k], 1e-9, "dD/dx_0 entry " + k + " (all first: " + allFirst + ")");
                    assertEquals(-want, direct[3 * dim + k], 1e-9, "dD/dx_3 entry " + k + " (all first: " + allFirst + ")");
                }
            }
        }
    }

    /** A loss reuses its host arrays from batch to batch: what one batch left there does not reach the next one's gradient. */
    @Test
    void aLossEvaluatedAgainGivesAFreshLossesGradient() {
        List<java.util.function.Supplier<EmbeddingLoss>> kinds = List.of(() -> ContrastiveLoss.builder().build(), () -> NPairLoss.builder().build(),
                () -> AngularLoss.builder().build(), () -> LiftedStructuredLoss.builder().build(),
                () -> TripletLoss.builder().optMining(TripletLoss.Mining.ALL).build());
        double[][] first = Batches.gaussian(6, 8, 11);
        double[][] second = Batches.gaussian(6, 8, 12);
        for (var kind : kinds) {
            EmbeddingLoss reused = kind.get();
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                gradient(reused, first, type, new double[1]);
                double[] again = gradient(reused, second, type, new double[1]);
                double[] fresh = gradient(kind.get(), second, type, new double[1]);
                org.junit.jupiter.api.Assertions.assertArrayEquals(fresh, again, reused.getName() + " in " + type + ": the second batch's gradient");
            }
        }
    }

    @Test
    void infiniteEmbeddingsGiveAClearError() {
        double[][] x = Batches.gaussian(6, 4, 3);
        x[4][1] = Double.POSITIVE_INFINITY;
        EmbeddingLoss loss = ContrastiveLoss.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList views = new NDList(m.create(x).toType(DataType.FLOAT32, false));
            NonFiniteException ex = assertThrows(NonFiniteException.class, () -> loss.evaluate(new NDList(m.create(LABELS)), views));
            assertTrue(ex.getMessage().contains("view 0 of contrastive"), ex.getMessage());
            assertEquals(NonFiniteException.Source.INPUT, ex.source());
        }
    }

    @Test
    void nanInAOneRowBatchOrASumGivesAClearError() {
        EmbeddingLoss sum = WeightedSumLoss.builder().add(1, ContrastiveLoss.builder().build()).add(0.5, LiftedStructuredLoss.builder().build()).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList one = new NDList(m.create(new float[][] {{1, Float.NaN, 2}}));
            NonFiniteException ex = assertThrows(NonFiniteException.class, () -> ContrastiveLoss.builder().build().evaluate(new NDList(m.create(new int[] {0})), one));
            assertEquals(NonFiniteException.Source.INPUT, ex.source());
            double[][] x = Batches.gaussian(6, 4, 5);
            x[2][3] = Double.NaN;
            NDList six = new NDList(m.create(x).toType(DataType.FLOAT32, false));
            ex = assertThrows(NonFiniteException.class, () -> sum.evaluate(new NDList(m.create(LABELS)), six));
            assertEquals(NonFiniteException.Source.INPUT, ex.source());
            assertTrue(ex.getMessage().contains("view 0"), ex.getMessage());
        }
    }

    @Test
    void halfPrecisionIsComputedInFloat32AndReturnedInHalf() {
        double[][] x = Batches.gaussian(6, 8, 11);
        EmbeddingLoss loss = LiftedStructuredLoss.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray half = m.create(x).toType(DataType.FLOAT16, false);
            double want = loss.evaluate(new NDList(m.create(LABELS)), new NDList(half.toType(DataType.FLOAT32, false))).getFloat();
            NDArray got = loss.evaluate(new NDList(m.create(LABELS)), new NDList(half));
            assertEquals(DataType.FLOAT16, got.getDataType());
            assertEquals(want, got.toType(DataType.FLOAT32, false).getFloat(), 1e-2 * (1 + Math.abs(want)));
        }
    }

    /** The loss's value and its gradient with respect to float32 embeddings, from the given route. */
    static double[] valueAndGradient(PairLoss loss, PairLoss.Route route, double[][] rows, int[] labels) {
        loss.route(route);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(rows).toType(DataType.FLOAT32, false);
            assertEquals(route == PairLoss.Route.AUTOMATIC, loss.productsOnHost(e, labels.length, loss.block(labels)),
                    "a small float32 batch of a block loss is multiplied on the host unless told otherwise");
            return org.embreg.testing.GradientCheck.valueAndGradient(loss, new NDList(m.create(labels)), new NDList(e));
        }
    }

    /**
     * N-pair's host products (its block of anchors x positives alone, float32 on the CPU) give the value and gradient
     * of the engine's full products, within float32 rounding: on the standard batches (random, rank one, identical
     * rows, b < d, one class), a paper-like 24 x 16 batch of pairs, classes of 3 (a row of each in no pair, so F E's
     * row is F_ii e_i alone) and classes of 1 (no pair: an empty block).
     */
    @Test
    void hostAndEngineProductsAgreeInFloat32() {
        List<Batches.Batch> batches = new java.util.ArrayList<>(List.of(Batches.standard(5)));
        batches.add(new Batches.Batch("24x16 pairs", Batches.gaussian(24, 16, 9), Batches.blockLabels(24, 2)));
        batches.add(new Batches.Batch("24x16 threes", Batches.gaussian(24, 16, 10), Batches.blockLabels(24, 3)));
        batches.add(new Batches.Batch("6x4 ones", Batches.gaussian(6, 4, 11), Batches.blockLabels(6, 1)));
        AnchorPositivePairs threes = AnchorPositivePairs.of(Batches.blockLabels(24, 3));
        assertTrue(2 * threes.size() < 24, "classes of 3 leave rows outside the block");
        for (Batches.Batch batch : batches) {
            double[] host = valueAndGradient(NPairLoss.builder().build(), PairLoss.Route.AUTOMATIC, batch.rows(), batch.labels());
            double[] engine = valueAndGradient(NPairLoss.builder().build(), PairLoss.Route.ENGINE, batch.rows(), batch.labels());
            String what = "npair on " + batch;
            assertTrue(Double.isFinite(host[0]), what + ": finite");
            assertEquals(engine[0], host[0], 1e-5 * (1 + Math.abs(engine[0])), what + ": value");
            double scale = 0;
            for (int i = 1; i < engine.length; i++) {
                scale = Math.max(scale, Math.abs(engine[i]));
            }
            for (int i = 1; i < engine.length; i++) {
                assertEquals(engine[i], host[i], 1e-4 * (1e-3 + scale), what + ": gradient entry " + (i - 1));
            }
        }
    }

    /** The host forms a block's products up to the limit's multiply-adds and leaves larger blocks, float64 and all-pairs losses to the engine. */
    @Test
    void theHostRouteStopsAtItsLimit() {
        PairLoss loss = NPairLoss.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray oneColumn = m.zeros(new ai.djl.ndarray.types.Shape(2, 1));
            int at = (int) Math.sqrt(PairLoss.HOST_PRODUCT_LIMIT);
            assertTrue(loss.productsOnHost(oneColumn, 2 * at, new PairLoss.Block(new int[at], new int[at])), "at the limit");
            assertTrue(!loss.productsOnHost(oneColumn, 2 * at + 2, new PairLoss.Block(new int[at + 1], new int[at + 1])), "past the limit");
            assertTrue(!loss.productsOnHost(oneColumn.toType(DataType.FLOAT64, false), 2, new PairLoss.Block(new int[1], new int[1])), "float64");
            assertTrue(!loss.productsOnHost(oneColumn, 2, null), "all pairs");
        }
    }

    /** A float32 row whose squared norm overflows float32 is refused on the host route as on the engine's. */
    @Test
    void aRowThatOverflowsFloat32IsRefusedOnBothRoutes() {
        double[][] x = Batches.gaussian(6, 4, 3);
        for (int k = 0; k < 4; k++) {
            x[2][k] = 3e19;
        }
        for (PairLoss.Route route : PairLoss.Route.values()) {
            PairLoss loss = NPairLoss.builder().build();
            loss.route(route);
            try (NDManager m = NDManager.newBaseManager()) {
                NDList views = new NDList(m.create(x).toType(DataType.FLOAT32, false));
                NonFiniteException ex = assertThrows(NonFiniteException.class, () -> loss.evaluate(new NDList(m.create(LABELS)), views), route.name());
                assertTrue(ex.getMessage().contains("row 2"), route + ": " + ex.getMessage());
            }
        }
    }

    /** A host matrix reaches the engine array, written in place on the CPU, and created from the values under DJL's MKLDNN switch. */
    @Test
    void aHostMatrixReachesTheEngine() {
        float[] values = {1.5f, -2f, 3.25f, 0f, 7f, -0.5f};
        for (boolean mkldnn : new boolean[] {false, true}) {
            String before = System.getProperty(Embeddings.MKLDNN_PROPERTY);
            if (mkldnn) {
                System.setProperty(Embeddings.MKLDNN_PROPERTY, "true");
            }
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray like = m.zeros(new ai.djl.ndarray.types.Shape(1));
                NDArray out = Embeddings.hostMatrix(like, values, new ai.djl.ndarray.types.Shape(2, 3));
                assertEquals(new ai.djl.ndarray.types.Shape(2, 3), out.getShape());
                assertTrue(java.util.Arrays.equals(values, out.toFloatArray()), "MKLDNN switch " + mkldnn + ": " + java.util.Arrays.toString(out.toFloatArray()));
            } finally {
                if (before == null) {
                    System.clearProperty(Embeddings.MKLDNN_PROPERTY);
                } else {
                    System.setProperty(Embeddings.MKLDNN_PROPERTY, before);
                }
            }
        }
    }

    /**
     * A row outside the block still gets F_ii e_i on the host: a loss that reads the diagonal of a row whose norm is
     * clamped (|e| below 1e-12, where S_ii = |e|^2 / 1e-24 has a gradient) gets the engine's gradient for it.
     */
    @Test
    void aRowOutsideTheBlockKeepsItsDiagonalGradientOnTheHost() {
        double[][] x = Batches.gaussian(4, 3, 2);
        java.util.Arrays.fill(x[2], 3e-13);
        int[] labels = {0, 0, 1, 1};
        java.util.function.Supplier<PairLoss> kind = () -> new PairLoss("diagonal") {
            @Override
            protected Block block(int[] y) {
                return new Block(new int[] {0}, new int[] {1});
            }

            @Override
            protected double loss(Batch batch) {
                batch.addSimilarityGradient(0, 1, 1);
                batch.addSimilarityGradient(2, 2, 1);
                return batch.similarity(0, 1) + batch.similarity(2, 2);
            }
        };
        double[] host = valueAndGradient(kind.get(), PairLoss.Route.AUTOMATIC, x, labels);
        double[] engine = valueAndGradient(kind.get(), PairLoss.Route.ENGINE, x, labels);
        for (int k = 0; k < 3; k++) {
            double want = engine[1 + 2 * 3 + k];
            assertTrue(Math.abs(want) > 1e10, "row 2's gradient is large: " + want);
            assertEquals(want, host[1 + 2 * 3 + k], 1e-5 * Math.abs(want), "row 2, entry " + k);
        }
    }

    /** A loss that reads a pair outside the block it declared fails loudly instead of reading a similarity never formed. */
    @Test
    void readingOutsideTheDeclaredBlockFails() {
        PairLoss outside = new PairLoss("outside") {
            @Override
            protected Block block(int[] labels) {
                return new Block(new int[] {0}, new int[] {1});
            }

            @Override
            protected double loss(Batch batch) {
                return batch.similarity(0, 1) + batch.similarity(0, 2);
            }
        };
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = m.create(Batches.gaussian(4, 3, 1)).toType(DataType.FLOAT32, false);
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> outside.evaluate(new NDList(m.create(new int[] {0, 0, 1, 1})), new NDList(e)));
            assertTrue(x.getMessage().contains("(0, 2)"), x.getMessage());
        }
    }
}
