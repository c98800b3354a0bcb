package org.embreg.experiments.circle;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.spectrum.Spectrum;
import org.embreg.train.CollapseMonitor;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.LabelledBatches;
import org.embreg.train.OutputSelector;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.embreg.train.TermLogListener;
import org.embreg.train.TrainingLoop;

/**
 * Trains one arm of {@code embreg circle} from one seed, as the official SVMax demo does: the
 * {@link CircleModel}, the paper's contrastive loss (plus lambda times bounded SVMax in the svmax
 * arm) on batches of 8 classes x 4 images, plain SGD. After every epoch the test split is embedded
 * and measured ({@link CircleMetrics}, the spectrum), and the frame images are embedded for the
 * pictures. The same seed gives the same initialization and batches in both arms.
 */
public final class CircleTrainer {
    /** The collapse monitor and the loss log measure every this many steps. */
    static final int LOG_EVERY = 25;

    private final SymmetricEigenSolver solver;

    /** One trained run: its record and the frame images' embeddings after each epoch (n x 2, row-major). */
    public record Trained(CircleRun run, List<float[]> frames) {}

    /** @param solver the host eigensolver of the spectra */
    public CircleTrainer(SymmetricEigenSolver solver) {
        this.solver = solver;
    }

    /**
     * @param config the run's settings
     * @param regularizer NONE or SVMAX (weighted by the config's svmaxWeight)
     * @param seed the seed
     * @param train the training split
     * @param test the test split (measured every epoch)
     * @param frameImages the images drawn in the frames
     * @param progress progress of the steps
     * @param out where the loss terms are logged ({@code <arm>-seed<seed>-terms.csv}), or null
     */
    public Trained run(CircleConfig config, RegularizerKind regularizer, long seed, ImageSet train, ImageSet test, ImageSet frameImages,
            ProgressReporter progress, Path out) {
        long start = System.nanoTime();
        String arm = regularizer.armName();
        int perEpoch = Math.max(1, train.size() / config.batchSize());
        int total = perEpoch * config.epochs();
        CollapseMonitor monitor = CollapseMonitor.builder().optEvery(LOG_EVERY).optIterations(total).optEigenSolver(solver)
                .optOutput(OutputSelector.prediction(0)).build();
        double weight = regularizer == RegularizerKind.NONE ? 0 : config.svmaxWeight();
        DefaultTrainingConfig djl = new DefaultTrainingConfig(RetrievalTrainer.lossFor(RankingLossKind.CONTRASTIVE, regularizer, weight, seed, solver))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) config.learningRate())).build())
                .addTrainingListeners(new DivergenceGuard(), monitor, new ProgressTrainingListener(progress, arm + " seed " + seed, total, LOG_EVERY));
        if (out != null) {
            djl.addTrainingListeners(new TermLogListener(out.resolve(arm + "-seed" + seed + "-terms.csv"), LOG_EVERY));
        }
        try (Model model = Model.newInstance("circle-" + arm)) {
            Engine.getInstance().setRandomSeed(Math.toIntExact(seed));
            model.setBlock(CircleModel.build());
            try (Trainer trainer = model.newTrainer(djl)) {
                trainer.initialize(new Shape(config.batchSize(), 1, train.height(), train.width()));
                LabelledBatches batches = new LabelledBatches(train, config.classesPerBatch(), config.samplesPerClass(), seed);
                TrainingLoop.Step step = TrainingLoop.supervised(trainer, batches, total);
                List<Integer> ends = new ArrayList<>();
                for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                    ends.add(epoch * perEpoch);
                }
                List<float[]> frames = new ArrayList<>();
                TrainingLoop.Measured<CircleRun.EpochPoint> measured = TrainingLoop.runMeasured(trainer, ends, step, (epoch, updates) -> {
                    frames.add(RetrievalTrainer.embed(trainer, frameImages, 500).data());
                    return measure(trainer, epoch, updates, test);
                });
                CircleRun run = new CircleRun(arm, seed, measured.points(), measured.outcome().divergence(), monitor.warnings(), measured.updates(),
                        (System.nanoTime() - start) / 1e9);
                return new Trained(run, frames);
            }
        }
    }

    private CircleRun.EpochPoint measure(Trainer trainer, int epoch, int updates, ImageSet test) {
        Matrix e = RetrievalTrainer.embed(trainer, test, 500);
        Spectrum s = Spectrum.of(e, solver);
        return new CircleRun.EpochPoint(epoch, updates, CircleMetrics.angleEntropy(e.data()),
                CircleMetrics.nearestNeighbourAccuracy(trainer.getManager(), e, test.labels()), s.meanSingularValue(), s.lowerBound(), s.upperBound());
    }
}
