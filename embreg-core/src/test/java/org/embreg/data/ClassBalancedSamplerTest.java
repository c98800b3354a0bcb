package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassBalancedSamplerTest {
    static int[] labels(int classes, int each) {
        int[] y = new int[classes * each];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % classes;
        }
        return y;
    }

    @Test
    void batchesHoldPClassesOfLConsecutiveSamples() {
        int[] y = labels(10, 30);
        Iterator<long[]> it = new ClassBalancedSampler(y, 6, 4, 1).batches();
        for (int n = 0; n < 20; n++) {
            long[] b = it.next();
            assertEquals(24, b.length);
            Set<Integer> classes = new HashSet<>();
            for (int c = 0; c < 6; c++) {
                int label = y[(int) b[c * 4]];
                classes.add(label);
                for (int k = 1; k < 4; k++) {
                    assertEquals(label, y[(int) b[c * 4 + k]]);
                }
            }
            assertEquals(6, classes.size());
        }
    }

    @Test
    void fewerClassesThanPTakesAllWithMoreSamplesEach() {
        int[] y = labels(5, 100);
        long[] b = new ClassBalancedSampler(y, 36, 4, 2).batches().next();
        assertEquals(144, b.length);
        int[] counts = new int[5];
        for (long i : b) {
            counts[y[(int) i]]++;
        }
        for (int c : counts) {
            assertEquals(true, c == 28 || c == 29, "per-class count " + c);
        }
    }

    @Test
    void sameSeedSameBatchesAndEpochLength() {
        int[] y = labels(4, 50);
        assertArrayEquals(new ClassBalancedSampler(y, 2, 5, 9).batches().next(), new ClassBalancedSampler(y, 2, 5, 9).batches().next());
        assertEquals(20, new ClassBalancedSampler(y, 2, 5, 9).batchesPerEpoch());
    }

    /**
     * The constructor's batches are those of the sampler before it learnt to read datasets. The
     * hashes were printed by this loop run against ClassBalancedSampler at commit f458f36.
     */
    @Test
    void constructorBatchesAreUnchanged() {
        int[] y = new int[300];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 7 + i / 13) % 7;
        }
        long[] expected = {-2265167387233478144L, -2969880014837440958L};
        int[][] layouts = {{3, 4}, {36, 4}};
        for (int k = 0; k < layouts.length; k++) {
            Iterator<long[]> it = new ClassBalancedSampler(y, layouts[k][0], layouts[k][1], 42).batches();
            long h = 17;
            for (int n = 0; n < 50; n++) {
                for (long v : it.next()) {
                    h = h * 31 + v;
                }
            }
            assertEquals(expected[k], h, layouts[k][0] + " x " + layouts[k][1]);
        }
    }

    /**
     * A sampler set on an ArrayDataset and shared, as DJL shares it, by the two subsets of an 80/20
     * randomSplit: each subset is sampled by its own labels, with indices into it, and DJL's batches
     * of the training subset hold only its rows. Row i of the data holds i, so a batch says which
     * rows of the whole set it took.
     */
    @Test
    void samplesOnlyTheSplitSubsetItIsGiven() throws Exception {
        int n = 400;
        int p = 4;
        int l = 3;
        int b = p * l;
        float[] rows = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            y[i] = (i * 7) % 10;
        }
        ClassBalancedSampler sampler = ClassBalancedSampler.builder().setClassesPerBatch(p).setSamplesPerClass(l).setSeed(3).build();
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset all = new ArrayDataset.Builder().setData(m.create(rows, new Shape(n, 1))).optLabels(m.create(y))
                    .setSampling(sampler).build();
            RandomAccessDataset[] split = all.randomSplit(8, 2);
            RandomAccessDataset train = split[0];
            int nTrain = Math.toIntExact(train.size());
            assertEquals(320, nTrain);
            int[] trainRow = new int[nTrain];
            Set<Integer> trainRows = new HashSet<>();
            for (int k = 0; k < nTrain; k++) {
                trainRow[k] = (int) train.get(m, k).getData().head().getFloat();
                trainRows.add(trainRow[k]);
            }
            Set<Integer> testRows = new HashSet<>();
            for (int k = 0; k < split[1].size(); k++) {
                testRows.add((int) split[1].get(m, k).getData().head().getFloat());
            }

            List<List<Long>> epoch = new ArrayList<>();
            sampler.sample(train).forEachRemaining(epoch::add);
            assertEquals((nTrain + b - 1) / b, epoch.size());
            for (List<Long> batch : epoch) {
                int[] labels = new int[batch.size()];
                for (int k = 0; k < labels.length; k++) {
                    long index = batch.get(k);
                    assertTrue(index >= 0 && index < nTrain, "index " + index + " outside the training subset");
                    labels[k] = y[trainRow[(int) index]];
                }
                assertBalanced(labels, p, l);
            }

            int batches = 0;
            for (Batch batch : train.getData(m)) {
                try (batch) {
                    float[] ids = batch.getData().head().toFloatArray();
                    int[] labels = batch.getLabels().head().toIntArray();
                    for (int k = 0; k < ids.length; k++) {
                        assertTrue(trainRows.contains((int) ids[k]) && !testRows.contains((int) ids[k]), "row " + ids[k] + " is held out");
                        assertEquals(y[(int) ids[k]], labels[k]);
                    }
                    assertBalanced(labels, p, l);
                    batches++;
                }
            }
            assertEquals((nTrain + b - 1) / b, batches);

            List<List<Long>> testEpoch = new ArrayList<>();
            sampler.sample(split[1]).forEachRemaining(testEpoch::add);
            assertEquals((80 + b - 1) / b, testEpoch.size());
            testEpoch.forEach(batch -> batch.forEach(index -> assertTrue(index < 80, "index " + index + " outside the test subset")));
        }
    }

    @Test
    void samplersAreExplicitAboutTheirLabels() {
        int[] y = labels(4, 50);
        try (NDManager m = NDManager.newBaseManager()) {
            ArrayDataset all = new ArrayDataset.Builder().setData(m.zeros(new Shape(200, 1))).optLabels(m.create(y))
                    .setSampling(1, false).build();
            RandomAccessDataset part = all.subDataset(0, 150);
            ClassBalancedSampler withLabels = new ClassBalancedSampler(y, 2, 5, 9);
            assertEquals(20, countBatches(withLabels.sample(all)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> withLabels.sample(part));
            assertTrue(e.getMessage().contains("200") && e.getMessage().contains("150"), e.getMessage());

            ClassBalancedSampler reading = ClassBalancedSampler.builder().setClassesPerBatch(2).setSamplesPerClass(5).setSeed(9).build();
            assertThrows(IllegalStateException.class, reading::batches);
            assertEquals(15, countBatches(reading.sample(part)));

            // a class in the second column of a (N, 2) label array
            NDArray pairs = m.create(new int[400], new Shape(200, 2));
            pairs.set(new ai.djl.ndarray.index.NDIndex(":, 1"), m.create(y));
            ArrayDataset twoColumns = new ArrayDataset.Builder().setData(m.zeros(new Shape(200, 1))).optLabels(pairs)
                    .setSampling(1, false).build();
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> reading.sample(twoColumns));
            assertTrue(shape.getMessage().contains("optLabelOf"), shape.getMessage());
            ClassBalancedSampler second = ClassBalancedSampler.builder().setClassesPerBatch(2).setSamplesPerClass(5).setSeed(9)
                    .optLabelOf(record -> record.getLabels().head().getInt(1)).build();
            for (Iterator<List<Long>> it = second.sample(twoColumns); it.hasNext();) {
                List<Long> batch = it.next();
                int[] classes = new int[batch.size()];
                for (int k = 0; k < classes.length; k++) {
                    classes[k] = y[Math.toIntExact(batch.get(k))];
                }
                assertBalanced(classes, 2, 5);
            }
        }
    }

    @Test
    void buildNamesTheBadParameter() {
        assertMessage("classesPerBatch", () -> ClassBalancedSampler.builder().setSamplesPerClass(2).setSeed(1).build());
        assertMessage("samplesPerClass", () -> ClassBalancedSampler.builder().setClassesPerBatch(2).setSamplesPerClass(-1).setSeed(1).build());
        assertMessage("seed", () -> ClassBalancedSampler.builder().setClassesPerBatch(2).setSamplesPerClass(2).build());
    }

    private static void assertMessage(String parameter, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(parameter), e.getMessage());
    }

    private static int countBatches(Iterator<List<Long>> it) {
        int count = 0;
        for (; it.hasNext(); it.next()) {
            count++;
        }
        return count;
    }

    /** p blocks of l equal labels, the p labels distinct. */
    private static void assertBalanced(int[] labels, int p, int l) {
        assertEquals(p * l, labels.length);
        Set<Integer> classes = new HashSet<>();
        for (int c = 0; c < p; c++) {
            for (int k = 1; k < l; k++) {
                assertEquals(labels[c * l], labels[c * l + k], "block " + c);
            }
            assertTrue(classes.add(labels[c * l]), "class " + labels[c * l] + " appears in two blocks");
        }
    }
}
