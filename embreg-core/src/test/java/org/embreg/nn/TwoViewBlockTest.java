package org.embreg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.metric.Metric;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.ParameterList;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.EvaluatorTrainingListener;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import java.util.Random;
import org.embreg.data.TwoViewDataset;
import org.embreg.regularizer.VicregLoss;
import org.junit.jupiter.api.Test;

/** VICReg under DJL's own loop: EasyTrain.fit on a TwoViewDataset through a TwoViewBlock. */
class TwoViewBlockTest {
    @Test
    void vicregTrainsASharedEncoderUnderEasyTrain() throws Exception {
        int n = 256;
        int d = 8;
        int batchSize = 32;
        Random random = new Random(3);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager(); Model model = Model.newInstance("vicreg")) {
            ArrayDataset source = new ArrayDataset.Builder().setData(m.create(x, new Shape(n, d))).setSampling(batchSize, false).build();
            TwoViewDataset views = TwoViewDataset.builder().setSource(source).setSeed(11).setSampling(batchSize, false)
                    .setAugmentation((sample, r) -> {
                        float[] noise = new float[d];
                        for (int j = 0; j < d; j++) {
                            noise[j] = (float) (0.1 * r.nextGaussian());
                        }
                        return sample.add(sample.getManager().create(noise, sample.getShape()));
                    }).build();
            Linear encoder = Linear.builder().setUnits(16).build();
            TwoViewBlock block = new TwoViewBlock(encoder);
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(VicregLoss.builder().build())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build())
                    .addTrainingListeners(TrainingListener.Defaults.basic())
                    .addTrainingListeners(views.epochListener());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batchSize, d), new Shape(batchSize, d));
                ParameterList parameters = block.getParameters();
                assertEquals(2, parameters.size(), "one weight and one bias, shared by both views: " + parameters);
                for (int i = 0; i < parameters.size(); i++) {
                    assertSame(encoder.getParameters().get(i).getValue(), parameters.get(i).getValue());
                }
                Metrics metrics = new Metrics();
                trainer.setMetrics(metrics);

                EasyTrain.fit(trainer, 2, views, null);

                List<Metric> epochLoss = metrics.getMetric(EvaluatorTrainingListener.metricName(trainer.getLoss(), EvaluatorTrainingListener.TRAIN_EPOCH));
                assertEquals(2, epochLoss.size());
                double first = epochLoss.get(0).getValue().doubleValue();
                double second = epochLoss.get(1).getValue().doubleValue();
                assertTrue(Double.isFinite(first) && Double.isFinite(second) && second < first, "epoch losses " + first + ", " + second);
                assertEquals(2, views.getEpoch(), "the listener advanced the views' epoch");

                NDArray probe = m.create(x, new Shape(n, d)).get("0:8");
                NDList out = trainer.evaluate(new NDList(probe, probe));
                assertEquals(new Shape(8, 16), out.get(0).getShape());
                assertArrayEquals(out.get(0).toFloatArray(), out.get(1).toFloatArray(), 0f, "one encoder: equal views, equal embeddings");
            }
        }
    }
}
