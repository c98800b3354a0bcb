package org.embreg.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.embreg.testing.Batches;
import org.embreg.testing.EmbeddingLossContract;
import org.embreg.testing.Reference;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest extends EmbeddingLossContract {
    @Override
    protected EmbeddingLoss newLoss() {
        return ContrastiveLoss.builder().build();
    }

    @Override
    protected boolean rowPermutationInvariant() {
        return false;
    }

    /** Brute force: rows (2k, 2k+1) of one label are positives; the negative of pair k is found by scanning forward. */
    @Override
    protected double reference(double[][][] v, int[] y) {
        double[][] x = Reference.normalizeRows(v[0]);
        java.util.List<Integer> firsts = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < y.length; i += 2) {
            if (y[i] == y[i + 1]) {
                firsts.add(i);
            }
        }
        double sum = 0;
        int count = 0;
        for (int k = 0; k < firsts.size(); k++) {
            int a = firsts.get(k);
            double d = Reference.distance(x[a], x[a + 1]);
            sum += d * d;
            count++;
            for (int s = 1; s < firsts.size(); s++) {
                int other = firsts.get((k + s) % firsts.size()) + 1;
                if (y[other] != y[a]) {
                    double dn = Reference.distance(x[a], x[other]);
                    sum += Math.pow(Math.max(0, 1 - dn), 2);
                    count++;
                    break;
                }
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    @Test
    void paperBatchGivesSeventyTwoPairsOfEach() {
        PairSelection p = PairSelection.balanced(Batches.blockLabels(144, 4));
        assertEquals(72, p.positives());
        assertEquals(72, p.negatives());
        PairSelection five = PairSelection.balanced(Batches.blockLabels(144, 144 / 5 + 1));
        assertEquals(five.positives(), five.negatives());
    }

    @Test
    void oneClassHasNoNegatives() {
        PairSelection p = PairSelection.balanced(new int[6]);
        assertEquals(3, p.positives());
        assertEquals(0, p.negatives());
        assertArrayEquals(new int[] {0, 2, 4}, p.positiveFirst());
    }
}
