package org.embreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import java.util.Random;
import org.embreg.data.ClassBalancedSampler;
import org.embreg.data.TwoViewDataset;
import org.embreg.loss.ContrastiveLoss;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.nn.TwoViewBlock;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.regularizer.VicregLoss;
import org.junit.jupiter.api.Test;

/** The README's "Use as a library" examples, as they are run: keep the two in step. */
class UseAsLibraryTest {
    /** n rows of dimension d around 10 class centres; the label of row i is i % 10. */
    private static ArrayDataset.Builder clusters(NDManager manager, int n, int d) {
        Random random = new Random(1);
        float[][] centres = new float[10][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) random.nextGaussian();
            }
        }
        float[] x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = centres[y[i]][j] + (float) (0.5 * random.nextGaussian());
            }
        }
        return new ArrayDataset.Builder().setData(manager.create(x, new Shape(n, d))).optLabels(manager.create(y));
    }

    @Test
    void rankingLossWithSvmaxUnderEasyTrain() throws Exception {
        int d = 32;
        try (NDManager manager = NDManager.newBaseManager()) {
            // README begin: ranking
            ArrayDataset data = clusters(manager, 800, d)     // rows (N, d) float32, labels (N) integer classes
                    .setSampling(ClassBalancedSampler.builder()
                            .setClassesPerBatch(8).setSamplesPerClass(4).setSeed(42).build())
                    .build();
            RandomAccessDataset[] split = data.randomSplit(8, 2); // each part is sampled by its own labels

            EmbeddingLoss loss = WeightedSumLoss.builder()
                    .add(1.0, ContrastiveLoss.builder().build())
                    .add(1.0, SvmaxRegularizer.builder().build())
                    .build();
            try (Model model = Model.newInstance("embedder")) {
                model.setBlock(new SequentialBlock()
                        .add(Linear.builder().setUnits(64).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(16).build()));
                DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                        .optOptimizer(Optimizer.adam().build())
                        .addTrainingListeners(TrainingListener.Defaults.logging());
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(32, d));
                    EasyTrain.fit(trainer, 2, split[0], split[1]);
                    // README end
                    TrainingResult result = trainer.getTrainingResult();
                    assertEquals(2, result.getEpoch());
                    assertTrue(Float.isFinite(result.getTrainLoss()) && Float.isFinite(result.getValidateLoss()), result.toString());
                }
            }
        }
    }

    @Test
    void vicregOnTwoViewsUnderEasyTrain() throws Exception {
        int d = 32;
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomAccessDataset images = clusters(manager, 512, d).setSampling(1, false).build();
            // README begin: vicreg
            TwoViewDataset views = TwoViewDataset.builder()
                    .setSource(images)                        // any RandomAccessDataset, one data array per sample
                    .setAugmentation((x, random) -> {         // one random view, drawn from `random` alone
                        float[] noise = new float[Math.toIntExact(x.size())];
                        for (int i = 0; i < noise.length; i++) {
                            noise[i] = (float) (0.1 * random.nextGaussian());
                        }
                        return x.add(x.getManager().create(noise, x.getShape()));
                    })
                    .setSeed(7)
                    .setSampling(64, true)
                    .build();
            try (Model model = Model.newInstance("vicreg")) {
                model.setBlock(new TwoViewBlock(new SequentialBlock()  // one encoder, one parameter set, both views
                        .add(Linear.builder().setUnits(64).build())
                        .add(Activation::relu)
                        .add(Linear.builder().setUnits(16).build())));
                DefaultTrainingConfig config = new DefaultTrainingConfig(VicregLoss.builder().build())
                        .optOptimizer(Optimizer.adam().build())
                        .addTrainingListeners(TrainingListener.Defaults.logging())
                        .addTrainingListeners(views.epochListener()); // fresh views every epoch
                try (Trainer trainer = model.newTrainer(config)) {
                    trainer.initialize(new Shape(64, d), new Shape(64, d));
                    EasyTrain.fit(trainer, 2, views, null);
                    // README end
                    assertTrue(Float.isFinite(trainer.getTrainingResult().getTrainLoss()));
                    assertEquals(2, views.getEpoch());
                }
            }
        }
    }
}
