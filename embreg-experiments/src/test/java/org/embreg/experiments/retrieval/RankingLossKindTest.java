package org.embreg.experiments.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.embreg.data.ClassBalancedSampler;
import org.embreg.loss.EmbeddingLoss;
import org.junit.jupiter.api.Test;

class RankingLossKindTest {
    @Test
    void everyLossLearnsFromItsPaperBatchLayout() {
        int classes = 80;
        int[] labels = new int[classes * 10];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        assertEquals(0.1, RankingLossKind.TRIPLET.svmaxWeight());
        assertEquals(2.0, RankingLossKind.ANGULAR.svmaxWeight());
        try (NDManager m = NDManager.newBaseManager()) {
            for (RankingLossKind kind : RankingLossKind.values()) {
                long[] batch = new ClassBalancedSampler(labels, kind.classesPerBatch(), kind.samplesPerClass(), 1).batches().next();
                assertEquals(144, batch.length, kind.cliName());
                int[] y = new int[batch.length];
                for (int i = 0; i < y.length; i++) {
                    y[i] = labels[(int) batch[i]];
                }
                EmbeddingLoss loss = kind.create();
                java.util.Random random = new java.util.Random(7);
                float[] values = new float[144 * 16];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                NDArray e = m.create(values, new ai.djl.ndarray.types.Shape(144, 16));
                double value = loss.evaluate(new NDList(m.create(y)), new NDList(e)).getFloat();
                assertTrue(value > 0 && Double.isFinite(value), kind.cliName() + " gives " + value + " on a random batch");
            }
        }
    }
}
