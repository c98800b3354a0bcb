package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Iterator;
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
}
