package org.embreg.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

/**
 * Class-balanced batches for ranking losses: each batch holds p classes x l samples, laid out class
 * by class (l consecutive indices of one class), so that consecutive pairs are positives.
 *
 * <p>When the data has fewer than p classes the batch takes them all, with b / classes samples of
 * each (the remainder goes one extra sample to the first classes drawn), so the batch size stays
 * p x l.
 *
 * <p>Epoch semantics: one epoch is ceil(N / b) batches, N the number of labelled samples. Within
 * each class the samples are drawn without replacement from a shuffled order that is reshuffled
 * whenever it runs out, so every sample is seen about once per epoch; classes are drawn at random
 * for every batch. The generator is seeded in the constructor; the same seed gives the same batches.
 * A class with fewer samples than it must give to one batch repeats samples within that batch.
 */
public final class ClassBalancedSampler implements Sampler {
    private final int[][] byClass;
    private final int[] classLabels;
    private final int classesPerBatch;
    private final int samplesPerClass;
    private final Random random;

    /**
     * @param labels the label of every sample of the dataset, by index; not modified
     * @param classesPerBatch p
     * @param samplesPerClass l
     * @param seed seeds this sampler's generator
     */
    public ClassBalancedSampler(int[] labels, int classesPerBatch, int samplesPerClass, long seed) {
        if (classesPerBatch < 1 || samplesPerClass < 1) {
            throw new IllegalArgumentException("classes per batch and samples per class must be >= 1, got " + classesPerBatch + " x " + samplesPerClass);
        }
        Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            groups.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        if (groups.size() < 2 && classesPerBatch > 1) {
            throw new IllegalArgumentException("class-balanced batches need at least 2 classes, the data has " + groups.size());
        }
        Integer[] keys = groups.keySet().toArray(new Integer[0]);
        Arrays.sort(keys);
        classLabels = new int[keys.length];
        byClass = new int[keys.length][];
        for (int c = 0; c < keys.length; c++) {
            classLabels[c] = keys[c];
            byClass[c] = groups.get(keys[c]).stream().mapToInt(Integer::intValue).toArray();
        }
        this.classesPerBatch = classesPerBatch;
        this.samplesPerClass = samplesPerClass;
        this.random = new Random(seed);
    }

    @Override
    public int getBatchSize() {
        return classesPerBatch * samplesPerClass;
    }

    /** Batches in one epoch: ceil(N / b). */
    public int batchesPerEpoch() {
        long n = 0;
        for (int[] c : byClass) {
            n += c.length;
        }
        return (int) ((n + getBatchSize() - 1) / getBatchSize());
    }

    /** An endless stream of batches (index arrays); {@link #sample} gives one epoch of it. */
    public Iterator<long[]> batches() {
        int[][] order = new int[byClass.length][];
        int[] cursor = new int[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            order[c] = byClass[c].clone();
            shuffle(order[c]);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public long[] next() {
                int classes = Math.min(classesPerBatch, byClass.length);
                int b = getBatchSize();
                int[] chosen = new int[byClass.length];
                for (int i = 0; i < chosen.length; i++) {
                    chosen[i] = i;
                }
                shuffle(chosen);
                long[] out = new long[b];
                int k = 0;
                for (int j = 0; j < classes; j++) {
                    int c = chosen[j];
                    int take = b / classes + (j < b % classes ? 1 : 0);
                    for (int t = 0; t < take; t++) {
                        if (cursor[c] == order[c].length) {
                            shuffle(order[c]);
                            cursor[c] = 0;
                        }
                        out[k++] = order[c][cursor[c]++];
                    }
                }
                return out;
            }
        };
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        Iterator<long[]> endless = batches();
        int epoch = batchesPerEpoch();
        return new Iterator<>() {
            private int given;

            @Override
            public boolean hasNext() {
                return given < epoch;
            }

            @Override
            public List<Long> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                given++;
                long[] batch = endless.next();
                List<Long> out = new ArrayList<>(batch.length);
                for (long v : batch) {
                    out.add(v);
                }
                return out;
            }
        };
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
