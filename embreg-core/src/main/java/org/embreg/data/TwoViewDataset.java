package org.embreg.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import java.io.IOException;
import java.util.Random;

/**
 * Two random views of every sample of a source dataset, for two-view losses such as
 * {@link org.embreg.regularizer.VicregLoss} under DJL's {@code Trainer}: record i holds the data
 * (v0, v1), two draws of a user-supplied {@link Augmentation} on the source's sample i, and the
 * source's labels (or, when the source has none, the index i as a long scalar, since DJL's
 * {@code EasyTrain} reads a label array). Batched by DJL's default stacking, a batch holds the two
 * b-row view batches that {@link org.embreg.nn.TwoViewBlock} takes.
 *
 * <p>Seeding: view k of sample i in epoch e is drawn with a generator seeded by (seed, e, i, k)
 * alone, so it does not depend on the sampler, the order of reads, threads or prefetching: the same
 * seed gives the same views in every run. The epoch starts at 0 and is advanced by
 * {@link #setEpoch} or by the listener of {@link #epochListener()} (the same idea as PyTorch's
 * {@code DistributedSampler.set_epoch}); without either, every epoch sees the same views.
 */
public final class TwoViewDataset extends RandomAccessDataset {
    /** One random view of a sample. */
    @FunctionalInterface
    public interface Augmentation {
        /**
         * @param sample one sample as the source dataset gives it (its single data array); not
         *     modified, not closed
         * @param random the generator for this view, seeded by (seed, epoch, index, view); the
         *     augmentation's only source of randomness
         * @return the view, on {@code sample}'s manager (closed with the batch)
         */
        NDArray apply(NDArray sample, Random random);
    }

    private final RandomAccessDataset source;
    private final Augmentation augmentation;
    private final long seed;
    private volatile int epoch;

    private TwoViewDataset(Builder b) {
        super(b);
        this.source = b.source;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The epoch whose views {@link #get} draws. */
    public int getEpoch() {
        return epoch;
    }

    /** Sets the epoch whose views {@link #get} draws (0 at first). */
    public void setEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * A training listener that advances this dataset's epoch at the end of every training epoch; add
     * it to the {@code DefaultTrainingConfig} so that each epoch draws fresh views.
     */
    public TrainingListener epochListener() {
        return new TrainingListenerAdapter() {
            @Override
            public void onEpoch(Trainer trainer) {
                setEpoch(epoch + 1);
            }
        };
    }

    /**
     * Record {@code index}: data (v0, v1), on {@code manager}, and the source's labels.
     *
     * @throws IllegalArgumentException when the source's sample has more than one data array
     */
    @Override
    public Record get(NDManager manager, long index) throws IOException {
        Record record = source.get(manager, index);
        NDList data = record.getData();
        if (data.size() != 1) {
            throw new IllegalArgumentException("TwoViewDataset augments a single data array per sample; sample " + index
                    + " of the source has " + data.size());
        }
        NDArray sample = data.get(0);
        int e = epoch;
        NDArray first = augmentation.apply(sample, new Random(viewSeed(seed, e, index, 0)));
        NDArray second = augmentation.apply(sample, new Random(viewSeed(seed, e, index, 1)));
        NDList labels = record.getLabels();
        if (labels == null || labels.isEmpty()) {
            labels = new NDList(manager.create(index));
        }
        return new Record(new NDList(first, second), labels);
    }

    @Override
    protected long availableSize() {
        return source.size();
    }

    @Override
    public void prepare(Progress progress) throws IOException, TranslateException {
        source.prepare(progress);
    }

    /** SplitMix64 over (seed, epoch, index, view): independent streams for neighbouring indices. */
    public static long viewSeed(long seed, int epoch, long index, int view) {
        long h = mix(seed);
        h = mix(h ^ epoch);
        h = mix(h ^ index);
        return mix(h ^ view);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Builds a {@link TwoViewDataset}: a source, an augmentation and a seed (all required), and, as
     * for every DJL dataset, the sampling ({@code setSampling}).
     */
    public static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
        private RandomAccessDataset source;
        private Augmentation augmentation;
        private Long seed;

        @Override
        protected Builder self() {
            return this;
        }

        /** The dataset whose samples are augmented; each of its records must hold one data array. */
        public Builder setSource(RandomAccessDataset source) {
            this.source = source;
            return this;
        }

        /** Draws one view of a sample; called twice per record. */
        public Builder setAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Seeds every view. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public TwoViewDataset build() {
            if (source == null) {
                throw new IllegalArgumentException("source must be set");
            }
            if (augmentation == null) {
                throw new IllegalArgumentException("augmentation must be set");
            }
            if (seed == null) {
                throw new IllegalArgumentException("seed must be set: every random choice takes a seed");
            }
            if (sampler == null) {
                throw new IllegalArgumentException("sampling must be set: setSampling(batchSize, random) or setSampling(sampler)");
            }
            return new TwoViewDataset(this);
        }
    }
}
