package org.embreg.experiments.gan;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.embreg.NonFiniteException;
import org.embreg.data.Matrix;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.regularizer.SvmaxRegularizer;
import org.embreg.spectrum.Spectrum;
import org.embreg.train.CollapseMonitor;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.OutputSelector;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.embreg.train.TermLogListener;
import org.embreg.train.TrainingLoop;

/**
 * Trains one GAN configuration from one seed on the ring of Gaussians, as the unrolled-GAN code
 * the SVMax paper used does, on embreg's {@link TrainingLoop}: each step updates the discriminator
 * once on a fresh real batch and fresh noise (the generated batch held fixed), then the generator
 * once on fresh noise. The generator's trainer carries the listeners (divergence guard, collapse
 * monitor on the generated batch, progress, loss terms).
 *
 * <p>Unrolled (k &gt; 0): before the generator's update the discriminator takes k more updates (fresh
 * real batches, the generator's noise of that step), the generator's gradient is taken against
 * that looked-ahead discriminator, and the discriminator's weights are then restored. As in the
 * public code, the gradient does not flow through the unrolled updates (Metz et al. differentiate
 * through them), and the discriminator's Adam moments are not restored: they keep the k unrolled
 * updates.
 *
 * <p>The same seed gives the same initialization of both networks for every configuration, the same
 * real batches and noise, and the same evaluation noise.
 */
public final class GanTrainer {
    private final GaussianRing ring;
    private final SymmetricEigenSolver solver;

    /** One trained run: its record and the evaluation samples at each recorded step (n x 2, row-major). */
    public record Trained(GanRun run, List<float[]> samples) {}

    /**
     * @param ring the data
     * @param solver the host eigensolver of the spectra
     */
    public GanTrainer(GaussianRing ring, SymmetricEigenSolver solver) {
        this.ring = ring;
        this.solver = solver;
    }

    /**
     * Trains and measures one configuration.
     *
     * @param config the run's settings
     * @param arm the configuration
     * @param seed the seed
     * @param progress progress of the steps
     * @param out where the loss terms are logged ({@code <arm>-seed<seed>-terms.csv}), or null
     */
    public Trained run(GanConfig config, GanArm arm, long seed, ProgressReporter progress, Path out) {
        long start = System.nanoTime();
        String task = arm.name() + " seed " + seed;
        int logEvery = Math.max(1, Math.min(config.recordEvery(), 50));
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(config.recordEvery()).optIterations(config.steps()).optEigenSolver(solver)
                .optOutput(OutputSelector.prediction(0)).build();
        try (Model generator = Model.newInstance("gan-generator");
                Model discriminator = Model.newInstance("gan-discriminator")) {
            Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
            generator.setBlock(GanNetworks.generator(config.noiseDim()));
            discriminator.setBlock(GanNetworks.discriminator());
            DefaultTrainingConfig dConfig = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss())
                    .optOptimizer(adam(config.discriminatorLearningRate()));
            try (Trainer d = discriminator.newTrainer(dConfig)) {
                DefaultTrainingConfig gConfig = new DefaultTrainingConfig(generatorLoss(arm, d, solver)).optOptimizer(adam(config.learningRate()))
                        .addTrainingListeners(new DivergenceGuard(), monitor, new ProgressTrainingListener(progress, task, config.steps(), logEvery));
                if (out != null) {
                    gConfig.addTrainingListeners(new TermLogListener(out.resolve(arm.name() + "-seed" + seed + "-terms.csv"), logEvery));
                }
                try (Trainer g = generator.newTrainer(gConfig)) {
                    g.initialize(new Shape(config.batchSize(), config.noiseDim()));
                    d.initialize(new Shape(config.batchSize(), 2));
                    Shape evalShape = new Shape(config.evalSamples(), config.noiseDim());
                    float[] evalNoise;
                    try (NDArray noise = g.getManager().randomNormal(evalShape)) {
                        evalNoise = noise.toFloatArray();
                    }
                    GanStep step = new GanStep(g, d, arm.unrolledSteps(), config, ring, new Random(seed));
                    List<float[]> samples = new ArrayList<>();
                    TrainingLoop.Measured<GanRun.GanPoint> measured = TrainingLoop.runMeasured(g, config.recordedSteps(), step, (k, updates) -> {
                        float[] xy = generate(g, evalNoise, evalShape);
                        samples.add(xy);
                        return measure(updates, xy);
                    });
                    GanRun run = new GanRun(arm.name(), seed, measured.points(), measured.outcome().divergence(), monitor.warnings(), measured.updates(),
                            (System.nanoTime() - start) / 1e9);
                    return new Trained(run, samples);
                }
            }
        }
    }

    /** The generator's objective: the adversarial loss against {@code d}, plus lambda times vanilla SVMax when the arm has it. */
    static WeightedSumLoss generatorLoss(GanArm arm, Trainer d, SymmetricEigenSolver solver) {
        WeightedSumLoss.Builder objective = WeightedSumLoss.builder().optName("generator")
                .add(1.0, new AdversarialLoss(points -> d.forward(new NDList(points)).singletonOrThrow()));
        if (arm.svmaxWeight() > 0) {
            objective.add(arm.svmaxWeight(), SvmaxRegularizer.builder().optForm(SvmaxRegularizer.Form.VANILLA).optEigenSolver(solver).build());
        }
        return objective.build();
    }

    /** Adam with the reference code's betas. */
    static Optimizer adam(double learningRate) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate)).optBeta1(GanConfig.BETA1).optBeta2(GanConfig.BETA2)
                .build();
    }

    private GanRun.GanPoint measure(int step, float[] xy) {
        ModeCoverage coverage = ModeCoverage.of(xy, ring);
        Matrix m = new Matrix(xy, xy.length / 2, 2);
        Double sMu = m.firstNonFiniteRow() >= 0 ? null : Spectrum.of(m, solver).meanSingularValue();
        return new GanRun.GanPoint(step, coverage, sMu);
    }

    /** The generator's points for fixed noise (host values), in inference mode, every array on a scope closed here. */
    private static float[] generate(Trainer g, float[] noise, Shape shape) {
        try (NDManager scope = g.getManager().newSubManager()) {
            return g.evaluate(new NDList(scope.create(noise, shape))).singletonOrThrow().toFloatArray();
        }
    }

    /**
     * One GAN step: the discriminator's update (and, unrolled, k more that are undone after the
     * generator's gradient is taken), then the generator's forward and backward pass; the loop
     * applies the generator's update.
     */
    static final class GanStep implements TrainingLoop.Step {
        private final Trainer g;
        private final Trainer d;
        private final int unrolled;
        private final int steps;
        private final GaussianRing ring;
        private final Random random;
        private final Shape noiseShape;
        private final int batch;

        /**
         * @param g the generator's trainer (its loss is the generator's objective against {@code d})
         * @param d the discriminator's trainer
         * @param unrolled k, 0 for a plain GAN
         * @param config sizes and the run's length
         * @param ring the real data
         * @param random draws the real batches
         */
        GanStep(Trainer g, Trainer d, int unrolled, GanConfig config, GaussianRing ring, Random random) {
            this.g = g;
            this.d = d;
            this.unrolled = unrolled;
            this.steps = config.steps();
            this.ring = ring;
            this.random = random;
            this.batch = config.batchSize();
            this.noiseShape = new Shape(config.batchSize(), config.noiseDim());
        }

        @Override
        public ai.djl.training.listener.TrainingListener.BatchData forwardBackward(int iteration, NDManager scope) {
            updateDiscriminator(scope, scope.randomNormal(noiseShape), iteration);
            NDArray noise = scope.randomNormal(noiseShape);
            List<float[]> saved = unrolled > 0 ? snapshot(d.getModel().getBlock()) : null;
            for (int k = 0; k < unrolled; k++) {
                updateDiscriminator(scope, noise, iteration);
            }
            NDList fake;
            NDList none = new NDList();
            try (GradientCollector gc = g.newGradientCollector()) {
                fake = g.forward(new NDList(noise));
                gc.backward(g.getLoss().evaluate(none, fake));
            }
            if (saved != null) {
                restore(d.getModel().getBlock(), saved);
            }
            return TrainingLoop.batchData(scope, new NDList(noise), none, fake, iteration, steps);
        }

        /** One discriminator update: sigmoid cross-entropy of real points against 1 plus generated ones against 0. */
        private void updateDiscriminator(NDManager scope, NDArray noise, int iteration) {
            NDArray real = scope.create(ring.sample(batch, random), new Shape(batch, 2));
            NDArray fake = g.evaluate(new NDList(noise)).singletonOrThrow().stopGradient();
            NDArray ones = scope.ones(new Shape(batch, 1));
            NDArray zeros = scope.zeros(new Shape(batch, 1));
            // the generator's backward pass of the last step also filled the discriminator's gradients
            zeroGradients(d.getModel().getBlock());
            NDArray loss;
            try (GradientCollector gc = d.newGradientCollector()) {
                loss = d.getLoss().evaluate(new NDList(ones), d.forward(new NDList(real)))
                        .add(d.getLoss().evaluate(new NDList(zeros), d.forward(new NDList(fake))));
                gc.backward(loss);
            }
            if (!Double.isFinite(loss.getFloat())) {
                throw new NonFiniteException(NonFiniteException.Source.TERM, "the discriminator's loss at step " + iteration);
            }
            d.step();
        }
    }

    /** The values of a block's parameters, on the host. */
    static List<float[]> snapshot(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /**
     * Puts back the values a {@link #snapshot} took, in place into the same arrays (which the
     * optimizer holds): a - a + v is v exactly for finite a.
     */
    static void restore(Block block, List<float[]> values) {
        int i = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            try (NDArray v = a.getManager().create(values.get(i++), a.getShape())) {
                a.subi(a).addi(v);
            }
        }
    }

    /**
     * Clears the gradients of a block's parameters: the generator's backward pass also fills the
     * discriminator's, and DJL's PyTorch engine accumulates gradients until an update consumes them.
     */
    static void zeroGradients(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            if (array.hasGradient()) {
                try (NDArray grad = array.getGradient()) {
                    grad.subi(grad);
                }
            }
        }
    }
}
