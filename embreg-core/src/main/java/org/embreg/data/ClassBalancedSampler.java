package org.embreg.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.WeakHashMap;
import java.util.function.ToIntFunction;

/**
 * Class-balanced batches for ranking losses: each batch holds p classes x l samples, laid out class
 * by class (l consecutive indices of one class), so that consecutive pairs are positives.
 *
 * <p>When the data has fewer than p classes the batch takes them all, with b / classes samples of
 * each (the remainder goes one extra sample to the first classes drawn), so the batch size stays
 * p x l.
 *
 * <p>Epoch semantics: one epoch is ceil(N / b) batches, N the number of samples of the dataset
 * sampled. Within each class the samples are drawn without replacement from a shuffled order that
 * is reshuffled whenever it runs out, so every sample is seen about once per epoch; classes are
 * drawn at random for every batch. A class with fewer samples than it must give to one batch
 * repeats samples within that batch.
 *
 * <p>Two ways to make one:
 * <ul>
 *   <li>As a DJL {@link Sampler}, {@link #builder()}: {@link #sample} reads the label of every
 *       sample of the dataset it is given (by default the one integer of each record's first label
 *       array, see {@link Builder#optLabelOf}) and draws only that dataset's indices. This is the
 *       sampler to set on a dataset that is split: the subsets of
 *       {@link RandomAccessDataset#randomSplit} and {@code subDataset} share their parent's sampler
 *       and each is sampled by its own labels, with indices into the subset (which the subset maps
 *       to its parent). The labels are read once per dataset, one {@code get} per record, and kept
 *       for later epochs while the dataset is reachable.
 *   <li>With the labels in hand, {@link #ClassBalancedSampler(int[], int, int, long)}: for loops
 *       that fetch rows themselves ({@link #batches()}); {@link #sample} then accepts only a dataset
 *       of exactly that many samples.
 * </ul>
 *
 * <p>Seeding: one generator, seeded at construction, serves every batch this sampler draws, so
 * the same seed and the same sequence of calls give the same batches (DJL's
 * {@code EasyTrain.fit} makes the same calls in every run).
 */
public final class ClassBalancedSampler implements Sampler {
    private final int classesPerBatch;
    private final int samplesPerClass;
    private final Random random;
    /** The constructor's labels; null for a sampler that reads each dataset's labels. */
    private final Classes fixed;
    /** How a record gives its class; null for a sampler with fixed labels. */
    private final ToIntFunction<Record> labelOf;
    private final Map<RandomAccessDataset, Classes> read = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * A sampler of one dataset whose labels are given.
     *
     * @param labels the label of every sample of the dataset, by index; not modified
     * @param classesPerBatch p
     * @param samplesPerClass l
     * @param seed seeds this sampler's generator
     */
    public ClassBalancedSampler(int[] labels, int classesPerBatch, int samplesPerClass, long seed) {
        checkLayout(classesPerBatch, samplesPerClass);
        this.classesPerBatch = classesPerBatch;
        this.samplesPerClass = samplesPerClass;
        this.fixed = new Classes(labels, classesPerBatch);
        this.labelOf = null;
        this.random = new Random(seed);
    }

    private ClassBalancedSampler(Builder b) {
        this.classesPerBatch = b.classesPerBatch;
        this.samplesPerClass = b.samplesPerClass;
        this.fixed = null;
        this.labelOf = b.labelOf;
        this.random = new Random(b.seed);
    }

    /** A sampler that reads the labels of each dataset it samples. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int getBatchSize() {
        return classesPerBatch * samplesPerClass;
    }

    /**
     * Batches in one epoch over the constructor's labels: ceil(N / b).
     *
     * @throws IllegalStateException for a sampler from {@link #builder()}, which has no labels of
     *     its own
     */
    public int batchesPerEpoch() {
        return fixedClasses("batchesPerEpoch()").batchesPerEpoch(getBatchSize());
    }

    /**
     * An endless stream of batches (index arrays) over the constructor's labels; {@link #sample}
     * gives one epoch of it.
     *
     * @throws IllegalStateException for a sampler from {@link #builder()}, which has no labels of
     *     its own
     */
    public Iterator<long[]> batches() {
        return batches(fixedClasses("batches()"));
    }

    /**
     * One epoch, ceil(N / b) class-balanced batches, of indices into {@code dataset}, N its size.
     *
     * @throws IllegalArgumentException when the dataset has fewer than 2 classes (and p &gt; 1), or
     *     when this sampler was made with labels and the dataset's size differs from their number
     * @throws UncheckedIOException when reading the dataset's labels fails
     */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        Classes classes = classesOf(dataset);
        Iterator<long[]> endless = batches(classes);
        int epoch = classes.batchesPerEpoch(getBatchSize());
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

    private Classes fixedClasses(String method) {
        if (fixed == null) {
            throw new IllegalStateException(method + " needs the labels given to the constructor; a sampler from builder() reads"
                    + " them from the dataset given to sample(dataset)");
        }
        return fixed;
    }

    private Classes classesOf(RandomAccessDataset dataset) {
        long size = dataset.size();
        if (fixed != null) {
            if (size != fixed.size) {
                throw new IllegalArgumentException("this sampler holds the labels of " + fixed.size + " samples but the dataset has "
                        + size + "; a sampler shared by the subsets of a split dataset must read each one's labels: use"
                        + " ClassBalancedSampler.builder()");
            }
            return fixed;
        }
        Classes known = read.get(dataset);
        if (known == null) {
            known = new Classes(readLabels(dataset), classesPerBatch);
            read.put(dataset, known);
        }
        return known;
    }

    private int[] readLabels(RandomAccessDataset dataset) {
        int[] labels = new int[Math.toIntExact(dataset.size())];
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 0; i < labels.length; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    Record record = dataset.get(scope, i);
                    try {
                        labels[i] = labelOf.applyAsInt(record);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("cannot read the class of sample " + i + " of the dataset: " + e.getMessage(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the labels of the dataset to sample failed", e);
        }
        return labels;
    }

    /**
     * The default label reader: the one value of the record's first label array, which must be an
     * integer (of any numeric type).
     */
    static int scalarLabel(Record record) {
        NDList labels = record.getLabels();
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("the record has no label");
        }
        NDArray label = labels.get(0);
        if (label.size() != 1) {
            throw new IllegalArgumentException("the first label array must hold one class, got shape " + label.getShape()
                    + "; pass optLabelOf to read another layout");
        }
        double v = label.toType(DataType.FLOAT64, false).getDouble();
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a class must be an integer, got " + v);
        }
        return (int) v;
    }

    private Iterator<long[]> batches(Classes classes) {
        int[][] byClass = classes.byClass;
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
                int classCount = Math.min(classesPerBatch, byClass.length);
                int b = getBatchSize();
                int[] chosen = new int[byClass.length];
                for (int i = 0; i < chosen.length; i++) {
                    chosen[i] = i;
                }
                shuffle(chosen);
                long[] out = new long[b];
                int k = 0;
                for (int j = 0; j < classCount; j++) {
                    int c = chosen[j];
                    int take = b / classCount + (j < b % classCount ? 1 : 0);
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

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void checkLayout(int classesPerBatch, int samplesPerClass) {
        if (classesPerBatch < 1 || samplesPerClass < 1) {
            throw new IllegalArgumentException("classes per batch and samples per class must be >= 1, got " + classesPerBatch + " x " + samplesPerClass);
        }
    }

    /** The indices of a dataset grouped by class, classes in ascending label order. */
    private static final class Classes {
        final int[][] byClass;
        final int size;

        Classes(int[] labels, int classesPerBatch) {
            Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
            for (int i = 0; i < labels.length; i++) {
                groups.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
            }
            if (groups.size() < 2 && classesPerBatch > 1) {
                throw new IllegalArgumentException("class-balanced batches need at least 2 classes, the data has " + groups.size());
            }
            Integer[] keys = groups.keySet().toArray(new Integer[0]);
            Arrays.sort(keys);
            byClass = new int[keys.length][];
            for (int c = 0; c < keys.length; c++) {
                byClass[c] = groups.get(keys[c]).stream().mapToInt(Integer::intValue).toArray();
            }
            size = labels.length;
        }

        int batchesPerEpoch(int batchSize) {
            return (int) (((long) size + batchSize - 1) / batchSize);
        }
    }

    /** Builds a {@link ClassBalancedSampler} that reads the labels of each dataset it samples. */
    public static final class Builder {
        private int classesPerBatch;
        private int samplesPerClass;
        private Long seed;
        private ToIntFunction<Record> labelOf = ClassBalancedSampler::scalarLabel;

        /** p, the classes in a batch (required, &gt;= 1). */
        public Builder setClassesPerBatch(int classesPerBatch) {
            this.classesPerBatch = classesPerBatch;
            return this;
        }

        /** l, the samples of each class in a batch (required, &gt;= 1). */
        public Builder setSamplesPerClass(int samplesPerClass) {
            this.samplesPerClass = samplesPerClass;
            return this;
        }

        /** Seeds the sampler's generator (required). */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * How a record of the sampled dataset gives its class. By default the one value of the
         * record's first label array, an integer of any numeric type (the layout of an
         * {@code ArrayDataset} built with {@code optLabels} of shape (N) or (N, 1)). The function
         * must not close the record's arrays nor keep them: they are closed after it returns.
         */
        public Builder optLabelOf(ToIntFunction<Record> labelOf) {
            this.labelOf = labelOf;
            return this;
        }

        public ClassBalancedSampler build() {
            if (classesPerBatch < 1) {
                throw new IllegalArgumentException("classesPerBatch must be set to a number >= 1, got " + classesPerBatch);
            }
            if (samplesPerClass < 1) {
                throw new IllegalArgumentException("samplesPerClass must be set to a number >= 1, got " + samplesPerClass);
            }
            if (seed == null) {
                throw new IllegalArgumentException("seed must be set: every random choice takes a seed");
            }
            if (labelOf == null) {
                throw new IllegalArgumentException("labelOf must not be null");
            }
            return new ClassBalancedSampler(this);
        }
    }
}
