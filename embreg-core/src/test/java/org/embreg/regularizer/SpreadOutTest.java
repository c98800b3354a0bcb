package org.embreg.regularizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.function.Function;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;
import org.junit.jupiter.api.Test;

class SpreadOutTest extends EmbeddingLossContract {
    private static final long SEED = 42;

    @Override
    protected EmbeddingLoss newLoss() {
        return SpreadOutRegularizer.builder().optSeed(SEED).build();
    }

    @Override
    protected boolean rowPermutationInvariant() {
        return false;
    }

    @Override
    protected boolean dependsOnTheBatchAlone() {
        // each evaluation draws its negatives from the regularizer's generator
        return false;
    }

    @Override
    protected double reference(double[][][] v, int[] labels) {
        int[] negatives = SpreadOutRegularizer.builder().optSeed(SEED).build().drawNegatives(labels);
        double[][] x = Reference.normalizeRows(v[0]);
        double m1 = 0;
        double m2 = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (negatives[i] < 0) {
                continue;
            }
            double dot = Reference.dot(x[i], x[negatives[i]]);
            m1 += dot;
            m2 += dot * dot;
            n++;
        }
        if (n == 0) {
            return 0;
        }
        m1 /= n;
        m2 /= n;
        return m1 * m1 + Math.max(0, m2 - 1.0 / x[0].length);
    }

    @Override
    protected Function<NDList, NDArray> function(EmbeddingLoss loss, int[] labels) {
        SpreadOutRegularizer so = (SpreadOutRegularizer) loss;
        int[] negatives = so.drawNegatives(labels);
        return views -> so.withNegatives(views.get(0), negatives);
    }

    @Test
    void negativesHaveAnotherLabelAndFollowTheSeed() {
        int[] labels = {0, 0, 1, 1, 2, 2, 3, 3};
        int[] a = SpreadOutRegularizer.builder().optSeed(7).build().drawNegatives(labels);
        int[] b = SpreadOutRegularizer.builder().optSeed(7).build().drawNegatives(labels);
        assertArrayEquals(a, b);
        for (int i = 0; i < labels.length; i++) {
            assertNotEquals(labels[i], labels[a[i]]);
        }
        assertArrayEquals(new int[] {-1, -1, -1}, SpreadOutRegularizer.builder().build().drawNegatives(new int[3]));
        assertEquals(8, a.length);
    }
}
