package org.embreg.experiments.retrieval;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.ClassBalancedSampler;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.experiments.ProgressListener;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.spectrum.Spectrum;
import org.embreg.train.PolynomialDecayTracker;

/**
 * Trains one arm of a retrieval experiment (contrastive loss plus an optional regularizer on a small
 * CNN) and evaluates retrieval on a held-out set of classes. The same seed gives the same
 * initialization, the same batches and the same numbers.
 */
public final class RetrievalTrainer {
    /** The learning rate at iteration K. */
    public static final double FINAL_LEARNING_RATE = 1e-7;

    /**
     * One logged iteration.
     *
     * @param iteration 0-based
     * @param learningRate the rate used at this iteration
     * @param terms the loss terms (total first)
     * @param meanSingularValue s_mu of the batch's normalized embeddings
     * @param lowerBound L for the batch shape
     * @param upperBound U for the batch shape
     */
    public record LogRow(int iteration, double learningRate, Map<String, Double> terms, double meanSingularValue,
            double lowerBound, double upperBound) {}

    /**
     * The outcome of one arm.
     *
     * @param name the arm name
     * @param config its configuration
     * @param metrics retrieval on the test classes
     * @param log the logged iterations
     * @param trainSeconds wall time of training
     * @param diverged whether training stopped on non-finite embeddings
     * @param parameters the trained parameters in DJL's format ({@code Block.saveParameters})
     */
    public record ArmResult(String name, TrainingConfig config, RetrievalMetrics metrics, List<LogRow> log, double trainSeconds,
            boolean diverged, byte[] parameters) {}

    /** The loss of an arm: the ranking loss plus lambda times the regularizer. */
    public static EmbeddingLoss lossFor(TrainingConfig c) {
        return lossFor(c.loss(), c.regularizer(), c.lambda(), c.seed());
    }

    /** The ranking loss plus lambda times the regularizer (seeded where it samples). */
    public static EmbeddingLoss lossFor(RankingLossKind loss, RegularizerKind regularizer, double lambda, long seed) {
        WeightedSumLoss.Builder b = WeightedSumLoss.builder().optName("objective").add(1.0, loss.create());
        EmbeddingLoss reg = regularizer.create(seed);
        if (reg != null) {
            b.add(lambda, reg);
        }
        return b.build();
    }

    /**
     * Trains and evaluates one arm.
     *
     * @param c the configuration
     * @param train training images (the classes seen in training)
     * @param test evaluation images (unseen classes)
     * @param progress progress of the iterations
     */
    public ArmResult run(TrainingConfig c, ImageSet train, ImageSet test, ProgressListener progress) {
        String name = c.regularizer().armName();
        EmbeddingLoss loss = lossFor(c);
        PolynomialDecayTracker schedule = new PolynomialDecayTracker(c.learningRate(), FINAL_LEARNING_RATE, c.iterations(), 1.0);
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(schedule).optMomentum(0.9f).build();
        DefaultTrainingConfig djlConfig = new DefaultTrainingConfig(loss).optOptimizer(sgd);
        int h = train.height();
        int w = train.width();
        int px = h * w;
        int b = c.batchSize();
        List<LogRow> log = new ArrayList<>();
        boolean diverged = false;
        long startNanos = System.nanoTime();
        try (Model model = Model.newInstance("embreg-" + name)) {
            model.setBlock(c.backbone().build(c.dim(), c.width(), h, w));
            Engine.getInstance().setRandomSeed((int) c.seed());
            try (Trainer trainer = model.newTrainer(djlConfig)) {
                trainer.initialize(new Shape(b, 1, h, w));
                if (c.weights() != null) {
                    loadWeights(model, c.weights());
                }
                Iterator<long[]> batches = new ClassBalancedSampler(train.labels(), c.classesPerBatch(), c.samplesPerClass(), c.seed()).batches();
                NDManager manager = trainer.getManager();
                float[] pixels = new float[b * px];
                int[] labels = new int[b];
                progress.start(name, c.iterations());
                for (int it = 0; it < c.iterations(); it++) {
                    long[] idx = batches.next();
                    for (int i = 0; i < b; i++) {
                        int src = (int) idx[i];
                        System.arraycopy(train.pixels(), src * px, pixels, i * px, px);
                        labels[i] = train.labels()[src];
                    }
                    boolean logNow = it % c.logEvery() == 0 || it == c.iterations() - 1;
                    try (NDManager step = manager.newSubManager()) {
                        NDArray x = step.create(pixels, new Shape(b, 1, h, w));
                        NDArray y = step.create(labels);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray e = trainer.forward(new NDList(x)).singletonOrThrow();
                            NDArray value = loss.evaluate(new NDList(y), new NDList(e));
                            gc.backward(value);
                            if (logNow) {
                                log.add(logRow(it, schedule.valueAt(it), loss.lastTerms(), e));
                            }
                        }
                        trainer.step();
                    } catch (EmbregException ex) {
                        if (!ex.getMessage().contains("NaN or Inf")) {
                            throw ex;
                        }
                        diverged = true;
                        break;
                    }
                    if (logNow) {
                        progress.step(it + 1, String.format(Locale.ROOT, "loss %.4f", log.get(log.size() - 1).terms().get("total")));
                    }
                }
                progress.step(c.iterations(), diverged ? "diverged" : "done");
                progress.finish();
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                Matrix embeddings = embed(trainer, test, 500);
                java.io.ByteArrayOutputStream params = new java.io.ByteArrayOutputStream();
                try (java.io.DataOutputStream out = new java.io.DataOutputStream(params)) {
                    model.getBlock().saveParameters(out);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return new ArmResult(name, c, RetrievalMetrics.of(manager, sanitize(embeddings), test.labels(), c.seed()), log, seconds,
                        diverged, params.toByteArray());
            }
        }
    }

    private static void loadWeights(Model model, java.nio.file.Path file) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        model.getBlock().getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
            model.getBlock().getParameters().forEach(p -> {
                Shape got = p.getValue().getArray().getShape();
                if (!got.equals(expected.get(p.getKey()))) {
                    throw new EmbregException("--weights " + file + ": parameter " + p.getKey() + " has shape " + got + " but this backbone and "
                            + "embedding size need " + expected.get(p.getKey()));
                }
            });
        } catch (java.nio.file.NoSuchFileException e) {
            throw new EmbregException("--weights " + file + ": no such file");
        } catch (EmbregException e) {
            throw e;
        } catch (java.io.IOException | ai.djl.MalformedModelException | RuntimeException e) {
            throw new EmbregException("--weights " + file + ": not DJL parameters of this backbone and embedding size (" + e.getMessage() + ")", e);
        }
    }

    private static LogRow logRow(int it, double lr, List<TermValue> terms, NDArray embeddings) {
        Map<String, Double> t = new LinkedHashMap<>();
        for (TermValue v : terms) {
            if (v.name().equals("total")) {
                t.put("total", v.value());
            }
        }
        for (TermValue v : terms) {
            t.putIfAbsent(v.name(), v.value());
        }
        long[] shape = embeddings.getShape().getShape();
        Matrix m = new Matrix(embeddings.stopGradient().toFloatArray(), (int) shape[0], (int) shape[1]).normalizedRows();
        Spectrum s = Spectrum.of(m);
        return new LogRow(it, lr, t, s.meanSingularValue(), s.lowerBound(), s.upperBound());
    }

    /** Embeds images with the trained model, in chunks, in inference mode. */
    public static Matrix embed(Trainer trainer, ImageSet images, int chunk) {
        int n = images.size();
        int px = images.height() * images.width();
        float[] out = null;
        int dim = -1;
        for (int start = 0; start < n; start += chunk) {
            int end = Math.min(n, start + chunk);
            try (NDManager m = trainer.getManager().newSubManager()) {
                float[] slice = java.util.Arrays.copyOfRange(images.pixels(), start * px, end * px);
                NDArray x = m.create(slice, new Shape(end - start, 1, images.height(), images.width()));
                NDArray e = trainer.evaluate(new NDList(x)).singletonOrThrow();
                float[] v = e.toFloatArray();
                if (out == null) {
                    dim = (int) e.getShape().get(1);
                    out = new float[n * dim];
                }
                System.arraycopy(v, 0, out, start * dim, v.length);
            }
        }
        return new Matrix(out, n, dim);
    }

    /** Replaces non-finite values by 0, so a diverged model is evaluated as the collapse it is. */
    private static Matrix sanitize(Matrix m) {
        if (m.firstNonFiniteRow() < 0) {
            return m;
        }
        float[] x = m.data().clone();
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                x[i] = 0;
            }
        }
        return new Matrix(x, m.rows(), m.cols());
    }
}
