package org.embreg.experiments.ssl;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.embreg.data.DatasetLocator;
import org.embreg.data.GrayscaleAugmentation;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.data.MnistLayout;
import org.embreg.experiments.model.CapturedNetwork;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.Results;
import org.embreg.experiments.report.TrainingCheckpoint;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.loss.EmbeddingLoss;
import org.embreg.loss.TermValue;
import org.embreg.loss.WeightedSumLoss;
import org.embreg.metric.LinearProbe;
import org.embreg.metric.WeightedKnn;
import org.embreg.regularizer.LayerRegularizer;
import org.embreg.regularizer.VicregLoss;
import org.embreg.spectrum.CollapseMeasures;
import org.embreg.train.CheckpointListener;
import org.embreg.train.CollapseMonitor;
import org.embreg.train.CollapseWarning;
import org.embreg.train.Divergence;
import org.embreg.train.DivergenceGuard;
import org.embreg.train.Lars;
import org.embreg.train.MonitorRecord;
import org.embreg.train.OutputSelector;
import org.embreg.train.ProgressReporter;
import org.embreg.train.ProgressTrainingListener;
import org.embreg.train.Resumable;
import org.embreg.train.TermLogListener;
import org.embreg.train.TrainingLoop;
import org.embreg.train.TwoViewBatches;
import org.embreg.train.WarmupCosineTracker;

/**
 * {@code embreg ssl}: VICReg pretraining (two augmented views, a small ResNet encoder, an expander,
 * LARS with warm-up and cosine decay, the collapse monitor on the representation and on the
 * expander's output, online k-NN), then the field's evaluation of the frozen representation
 * (weighted k-NN top-1 and a linear probe) beside three references of the same architecture and
 * budget: the randomly initialized encoder (the very initialization pretraining starts from), a
 * supervised encoder (cross-entropy on the same images and views for the same steps and
 * optimizer) and the raw pixels (k-NN). Labels are used only for evaluation and the supervised
 * reference.
 */
public final class SslExperiment {
    /** The dimension threshold of the collapse measures (as the monitor's default). */
    static final double DIMENSION_THRESHOLD = 1e-3;
    /** Checkpoints of the pretrained network every this many steps. */
    static final int CHECKPOINT_EVERY = 200;
    /** Online k-NN: bank and held-out sizes. */
    static final int ONLINE_BANK = 2000;
    static final int ONLINE_HELD_OUT = 1000;

    /**
     * One pretraining run and the evaluation of its representation.
     *
     * @param objective the objective's name
     * @param knnTop1 weighted k-NN (k = 20, T = 0.07) of the pretrained representation
     * @param linearTop1 linear probe of the pretrained representation
     * @param finalTerms the loss terms at the last logged step
     * @param representation collapse measures of the test representations after pretraining (null when not finite)
     * @param embedding collapse measures of the test embeddings (the expander's output) after pretraining (null when not finite)
     * @param divergence where pretraining diverged, or null
     * @param stepSeconds wall time per pretraining step (online k-NN and logging included)
     * @param augmentationSecondsPerStep of which making the two augmented views of the batch, measured in the last part of a resumed
     *     run (null when that part made no batch: a finished run run again)
     * @param layers each captured encoder layer's collapse measures at the last monitored step, by capture point (empty when the layers
     *     were not watched)
     */
    public record Pretrained(String objective, double knnTop1, double linearTop1, List<TermValue> finalTerms, CollapseMeasures representation,
            CollapseMeasures embedding, Divergence divergence, List<CollapseWarning> collapseWarnings, List<OnlineKnnListener.Point> onlineKnn,
            int steps, double pretrainSeconds, double stepSeconds, Double augmentationSecondsPerStep, Map<String, CollapseMeasures> layers) {
        public Pretrained {
            layers = layers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        }
    }

    /**
     * results.json of {@code ssl}: VICReg's numbers at the top level (the keys the field reports), the references beside them.
     *
     * @param randomInitKnnTop1 the encoder at the initialization pretraining starts from
     * @param supervisedKnnTop1 the same encoder trained with cross-entropy on the same images, views, steps and optimizer
     * @param pixelKnnTop1 the raw pixels
     * @param stepSeconds pretraining wall time per step
     * @param augmentationSecondsPerStep of which making the two augmented views (see {@link Pretrained})
     */
    public record SslRecord(String experiment, double knnTop1, double linearTop1, double randomInitKnnTop1, double randomInitLinearTop1,
            double supervisedKnnTop1, double supervisedLinearTop1, double pixelKnnTop1, List<TermValue> finalTerms, CollapseMeasures representation,
            CollapseMeasures embedding, Divergence divergence, List<CollapseWarning> collapseWarnings, List<OnlineKnnListener.Point> onlineKnn,
            double pretrainSeconds, double stepSeconds, Double augmentationSecondsPerStep, double supervisedSeconds, SslConfig config, Data data,
            Provenance provenance, Map<String, CollapseMeasures> layers) {}

    /**
     * ablation.json: every objective from the same initialization, views and steps.
     *
     * @param runs one per objective
     * @param lossMillis median milliseconds of each objective's forward and backward pass on the expander's (batch x size) output
     */
    public record AblationRecord(String experiment, double randomInitKnnTop1, double randomInitLinearTop1, List<Pretrained> runs,
            Map<String, Double> lossMillis, SslConfig config, Data data, Provenance provenance) {}

    /**
     * results.json of a pretraining run alone ({@link #pretrainOnly}): no supervised or pixel reference.
     *
     * @param objective the objective's name
     * @param run the pretraining and the evaluation of its representation
     * @param randomInitKnnTop1 the encoder at the initialization pretraining starts from, or null when not evaluated
     * @param randomInitLinearTop1 likewise, the linear probe
     */
    public record PretrainRecord(String experiment, String objective, Pretrained run, Double randomInitKnnTop1, Double randomInitLinearTop1,
            SslConfig config, Data data, Provenance provenance) {}

    /** The data as used. */
    public record Data(String source, int trainImages, int testImages, int classes, String imageSize) {}

    /** What the run produced. */
    public record SslResult(SslRecord record, Path runDirectory, String table) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;
    private final int resumeEvery;

    public SslExperiment(DatasetLocator locator, Map<String, String> environment, SymmetricEigenSolver solver) {
        this(locator, environment, solver, CHECKPOINT_EVERY);
    }

    /** @param resumeEvery take a checkpoint to resume from every this many updates */
    SslExperiment(DatasetLocator locator, Map<String, String> environment, SymmetricEigenSolver solver, int resumeEvery) {
        this.locator = locator;
        this.environment = environment;
        this.solver = solver;
        this.resumeEvery = resumeEvery;
    }

    /** The images a run uses. */
    private record Images(ImageSet train, ImageSet test, ImageSet bank, ImageSet heldOut, Data data) {}

    private Images load(SslConfig c) {
        DatasetLocator.Located located = locator.locate(c.data(), environment);
        ImageSet train = MnistLayout.train(located.directory());
        ImageSet test = MnistLayout.test(located.directory());
        if (c.maxTrain() > 0 && c.maxTrain() < train.size()) {
            train = train.sample(c.maxTrain(), c.seed());
        }
        if (c.maxTest() > 0 && c.maxTest() < test.size()) {
            test = test.sample(c.maxTest(), c.seed());
        }
        if (c.batchSize() > train.size()) {
            throw new org.embreg.EmbregException("the batch of " + c.batchSize() + " is larger than the " + train.size() + " training images");
        }
        Data data = new Data(located.source() + " (" + located.directory() + ")", train.size(), test.size(), Math.max(train.classCount(),
                test.classCount()), train.height() + "x" + train.width());
        ImageSet bank = train.size() > ONLINE_BANK ? train.sample(ONLINE_BANK, c.seed() + 1) : train;
        ImageSet heldOut = test.size() > ONLINE_HELD_OUT ? test.sample(ONLINE_HELD_OUT, c.seed() + 1) : test;
        return new Images(train, test, bank, heldOut, data);
    }

    /** VICReg pretraining with every reference: the report of {@code embreg ssl}. */
    public SslResult run(SslConfig c, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        Images images = load(c);
        RunDirectory dir = new RunDirectory(c.out());
        Run vicreg = pretrain(c, SslObjective.VICREG, "", images, dir, true, progress);
        Supervised supervised = supervised(c, images.train(), images.test(), images.data(), dir.root(), progress);
        double pixelKnn;
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            pixelKnn = WeightedKnn.top1(m, Representations.pixels(images.train()), images.train().labels(), Representations.pixels(images.test()),
                    images.test().labels());
        }
        Pretrained p = vicreg.result();
        SslRecord record = new SslRecord("ssl", p.knnTop1(), p.linearTop1(), vicreg.randomInit()[0], vicreg.randomInit()[1], supervised.knn(),
                supervised.linear(), pixelKnn, p.finalTerms(), p.representation(), p.embedding(), p.divergence(), p.collapseWarnings(), p.onlineKnn(),
                p.pretrainSeconds(), p.stepSeconds(), p.augmentationSecondsPerStep(), supervised.seconds(), c, images.data(),
                Provenance.collect(c.seed(), solver, images.data().source(), (System.nanoTime() - start) / 1e9, environment), p.layers());
        dir.writeJson("results.json", record);
        SslCharts.write(dir, "", p.onlineKnn(), vicreg.embedding(), vicreg.representation());
        return new SslResult(record, dir.root(), table(record));
    }

    /**
     * One pretraining with {@code objective} and the evaluation of its representation, without the
     * references of {@link #run}: what a study runs per arm. Writes results.json ({@link PretrainRecord}),
     * the logs and charts into {@code c.out()}. Resumable twice over: a killed run continues from its
     * checkpoint, and a finished one (its results.json of this configuration, objective and data) is
     * read back, not run again.
     *
     * @throws org.embreg.EmbregException when the directory holds a results.json that is damaged or of another run
     *
     * @param evaluateInit also score the initialization the run starts from
     */
    public PretrainRecord pretrainOnly(SslConfig c, SslObjective objective, boolean evaluateInit, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        Images images = load(c);
        RunDirectory dir = new RunDirectory(c.out());
        Path file = dir.root().resolve("results.json");
        String phase = "pretraining " + objective.cliName();
        Optional<PretrainRecord> done = earlierRecord(file, PretrainRecord.class, r -> r.config() != null && r.run() != null && r.objective() != null,
                r -> fingerprint(r.config(), "pretraining " + r.objective(), r.data()), fingerprint(c, phase, images.data()), "pretraining");
        if (done.isPresent() && (!evaluateInit || done.get().randomInitKnnTop1() != null)) {
            return done.get();
        }
        // a finished run asked now to score its initialization too: its final checkpoint leaves only the evaluations to do
        Run run = pretrain(c, objective, "", images, dir, evaluateInit, progress);
        double[] init = run.randomInit();
        PretrainRecord record = new PretrainRecord("ssl-pretrain", objective.cliName(), run.result(), init == null ? null : init[0],
                init == null ? null : init[1], c, images.data(),
                Provenance.collect(c.seed(), solver, images.data().source(), (System.nanoTime() - start) / 1e9, environment));
        SslCharts.write(dir, "", run.result().onlineKnn(), run.embedding(), run.representation());
        dir.writeJson("results.json", record);
        return record;
    }

    /** What one pretraining left: its result, the random initialization's {knn, linear} (or null) and the monitors' records. */
    private record Run(Pretrained result, double[] randomInit, List<MonitorRecord> embedding, List<MonitorRecord> representation) {}

    /**
     * Pretrains with one objective and evaluates the representation.
     *
     * @param prefix of the run's files in the directory ("" for the main run)
     * @param evaluateInit also evaluate the initialization (before the first update)
     */
    private Run pretrain(SslConfig c, SslObjective objective, String prefix, Images images, RunDirectory dir, boolean evaluateInit,
            ProgressReporter progress) throws IOException {
        ImageSet train = images.train();
        ImageSet test = images.test();
        CollapseMonitor embeddingMonitor = monitor(c, OutputSelector.prediction(0), dir.root().resolve(prefix + "monitor-embedding.csv"));
        CollapseMonitor representationMonitor = monitor(c, OutputSelector.prediction(2), dir.root().resolve(prefix + "monitor-representation.csv"));
        OnlineKnnListener online = new OnlineKnnListener(images.bank(), images.heldOut(), Math.max(1, c.steps() / 10),
                b -> ((SslNetwork) b).getEncoder());
        CheckpointListener checkpoints = new CheckpointListener(dir.root().resolve(prefix + "vicreg.params"), CHECKPOINT_EVERY);
        DivergenceGuard guard = new DivergenceGuard();
        ProgressTrainingListener bar = new ProgressTrainingListener(progress, objective.cliName(), c.steps(), c.logEvery());
        TermLogListener terms = new TermLogListener(dir.root().resolve(prefix + "terms.csv"), c.logEvery());
        Shape view = new Shape(c.batchSize(), 1, train.height(), train.width());
        CapturedNetwork encoderNet = CapturedNetwork.of(c.encoder().build(c.width(), train.height(), train.width()), c.layers(), view,
                c.encoder().cliName());
        Map<String, CollapseMonitor> layerMonitors = encoderNet.monitors(c.logEvery(), c.steps(), solver,
                point -> dir.root().resolve(prefix + "monitor-layer-" + CapturedNetwork.fileName(point) + ".csv"));
        List<Resumable<?>> resumables = new ArrayList<>(List.of(guard, embeddingMonitor, representationMonitor, online, bar, terms, checkpoints));
        resumables.addAll(layerMonitors.values());
        TrainingCheckpoint resume = new TrainingCheckpoint(dir.root().resolve(prefix + "pretraining.checkpoint"),
                fingerprint(c, "pretraining " + objective.cliName(), images.data()), resumeEvery, resumables);
        Optional<TrainingCheckpoint.Saved> saved = resume.read(c.steps());
        Lars lars = lars(c, saved.map(TrainingCheckpoint.Saved::updates).orElse(0));
        EmbeddingLoss loss = objective.loss(c, solver);
        Optional<LayerRegularizer> layerLoss = encoderNet.regularizer(c.layers(), c.seed(), solver);
        if (layerLoss.isPresent()) {
            loss = WeightedSumLoss.builder().optName("objective").add(1, loss).add(c.layers().weight(), layerLoss.get()).build();
        }
        DefaultTrainingConfig djl = new DefaultTrainingConfig(loss).optOptimizer(lars).addTrainingListeners(
                guard, embeddingMonitor, representationMonitor, online, bar, terms, checkpoints);
        layerMonitors.values().forEach(djl::addTrainingListeners);
        double[] randomInit = null;
        double[] scores;
        CollapseMeasures representation;
        CollapseMeasures embedding;
        TrainingLoop.Outcome outcome;
        double pretrainSeconds;
        Double augmentation;
        try (Model model = Model.newInstance("ssl-" + objective.cliName())) {
            Engine.getInstance().setRandomSeed((int) c.seed());
            model.setBlock(new SslNetwork(encoderNet.block(), SslNetwork.expander(c.expander())));
            try (Trainer trainer = model.newTrainer(djl)) {
                trainer.initialize(view, view);
                Block encoder = ((SslNetwork) model.getBlock()).getEncoder();
                if (evaluateInit) {
                    randomInit = evaluate(trainer, encoder, train, test, c.seed()).both();
                }
                TimedBatches batches = views(c, train);
                outcome = train(trainer, lars, resume, saved, batches, TrainingLoop.supervised(trainer, batches, c.steps()), c.steps());
                pretrainSeconds = resume.seconds();
                augmentation = batches.secondsPerBatch();
                Scores evaluated = evaluate(trainer, encoder, train, test, c.seed());
                scores = evaluated.both();
                // the test representations the scores were computed on, not a second pass over the test images
                Matrix rep = evaluated.testRepresentations();
                representation = measuresOrNull(rep);
                embedding = measuresOrNull(expanderOutput(model, trainer, rep));
            }
        }
        List<MonitorRecord> records = embeddingMonitor.records();
        List<TermValue> finalTerms = records.isEmpty() ? List.of() : records.get(records.size() - 1).terms();
        List<CollapseWarning> warnings = new ArrayList<>(embeddingMonitor.warnings());
        warnings.addAll(representationMonitor.warnings());
        Map<String, CollapseMeasures> layers = CapturedNetwork.lastMeasures(CapturedNetwork.logs(layerMonitors));
        Pretrained result = new Pretrained(objective.cliName(), scores[0], scores[1], finalTerms, representation, embedding, outcome.divergence(),
                warnings, online.points(), outcome.iterations(), pretrainSeconds, pretrainSeconds / Math.max(1, outcome.iterations()), augmentation,
                layers);
        return new Run(result, randomInit, embeddingMonitor.records(), representationMonitor.records());
    }

    /**
     * {@code embreg ssl --ablation}: every {@link SslObjective} from the same initialization, views and
     * steps; ablation.json, ablation.csv, table.md, a chart, and each objective's logs.
     */
    public AblationResult ablation(SslConfig c, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        Images images = load(c);
        RunDirectory dir = new RunDirectory(c.out());
        Optional<AblationRecord> earlier = earlierAblation(dir.root().resolve("ablation.json"), c, images.data());
        Map<String, Double> millis = earlier.isPresent() ? earlier.get().lossMillis() : LossTimes.medianMillis(c, solver);
        List<Pretrained> runs = new ArrayList<>();
        double[] randomInit = earlier.map(r -> new double[] {r.randomInitKnnTop1(), r.randomInitLinearTop1()}).orElse(null);
        for (SslObjective objective : SslObjective.values()) {
            Optional<Pretrained> done = earlier.flatMap(r -> r.runs().stream().filter(p -> p.objective().equals(objective.cliName())).findFirst());
            if (done.isPresent()) {
                runs.add(done.get());
                continue;
            }
            Run run = pretrain(c, objective, objective.cliName() + "-", images, dir, randomInit == null, progress);
            if (randomInit == null) {
                randomInit = run.randomInit();
            }
            runs.add(run.result());
            SslCharts.write(dir, objective.cliName() + "-", run.result().onlineKnn(), run.embedding(), run.representation());
            writeAblation(dir, new AblationRecord("ssl-ablation", randomInit[0], randomInit[1], runs, millis, c, images.data(),
                    Provenance.collect(c.seed(), solver, images.data().source(), (System.nanoTime() - start) / 1e9, environment)));
        }
        // once more at the end: a run killed between the record and its report, then resumed, runs nothing but must still report
        writeAblation(dir, new AblationRecord("ssl-ablation", randomInit[0], randomInit[1], runs, millis, c, images.data(),
                Provenance.collect(c.seed(), solver, images.data().source(), (System.nanoTime() - start) / 1e9, environment)));
        return new AblationResult(runs, dir.root(), SslAblationReport.table(randomInit, runs, millis));
    }

    private static void writeAblation(RunDirectory dir, AblationRecord record) throws IOException {
        dir.writeJson("ablation.json", record);
        SslAblationReport.write(dir, record);
    }

    /**
     * The objectives an earlier, interrupted ablation in the same directory finished, when it ran
     * this configuration on this data: they are not run again.
     *
     * @throws org.embreg.EmbregException when the file is not an ablation record or is of another run
     */
    private static Optional<AblationRecord> earlierAblation(Path file, SslConfig c, Data data) {
        return earlierRecord(file, AblationRecord.class, r -> r.config() != null && r.runs() != null, r -> fingerprint(r.config(), "ablation", r.data()),
                fingerprint(c, "ablation", data), "ablation");
    }

    /**
     * The record an earlier run left in {@code file}, when there is one and it is of the run now asked for.
     *
     * @param complete whether a record read back has what a finished one has
     * @param fingerprintOf the fingerprint of the run a record is of
     * @param what the kind of run, in the error
     * @throws org.embreg.EmbregException when the file is damaged, incomplete or of another configuration or data
     */
    private static <T> Optional<T> earlierRecord(Path file, Class<T> type, java.util.function.Predicate<T> complete,
            java.util.function.Function<T, JsonObject> fingerprintOf, JsonObject expected, String what) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        T r;
        try {
            r = Results.read(file, type);
        } catch (IOException | RuntimeException e) {
            throw new org.embreg.EmbregException("cannot resume from " + file + " (" + e.getMessage() + "): use another --out, or delete it to start over");
        }
        if (r == null || !complete.test(r) || !fingerprintOf.apply(r).equals(expected)) {
            throw new org.embreg.EmbregException(file + " is the " + what + " of another configuration or data: use another --out, or delete it to "
                    + "start over");
        }
        return Optional.of(r);
    }

    /** What an ablation produced. */
    public record AblationResult(List<Pretrained> runs, Path runDirectory, String table) {}

    private CollapseMonitor monitor(SslConfig c, OutputSelector output, Path csv) {
        return CollapseMonitor.builder().optEvery(c.logEvery()).optIterations(c.steps()).optEigenSolver(solver).optOutput(output).optCsv(csv).build();
    }

    /** The collapse measures of an output, or null when it (or its Gram matrix) is not finite: a diverged run's. */
    private CollapseMeasures measuresOrNull(Matrix output) {
        try {
            return output.firstNonFiniteRow() >= 0 ? null : CollapseMeasures.of(output, solver, DIMENSION_THRESHOLD);
        } catch (org.embreg.NonFiniteException e) {
            return null;
        }
    }

    /** LARS with VICReg's schedule, its update count starting at {@code updates} (a resumed run's). */
    static Lars lars(SslConfig c, int updates) {
        return Lars.builder().setLearningRateTracker(new WarmupCosineTracker(c.learningRate(), c.warmupSteps(), c.steps(),
                WarmupCosineTracker.VICREG_FINAL_FRACTION)).optWeightDecay((float) c.weightDecay()).optBeginNumUpdate(updates).build();
    }

    /** The two views of VICReg, seeded by the run's seed. */
    private static TimedBatches views(SslConfig c, ImageSet train) {
        return new TimedBatches(new TwoViewBatches(train, c.batchSize(), c.seed(), GrayscaleAugmentation.vicregFirst(),
                GrayscaleAugmentation.vicregSecond()));
    }

    /**
     * What identifies a training run for its checkpoint: the configuration (not where it is written), the phase and the data.
     * The encoder's layer settings count only for pretraining and only when set, so checkpoints written before there were
     * any still match, and the supervised reference (which has no layer term) is shared across them.
     */
    private static JsonObject fingerprint(SslConfig c, String phase, Data data) {
        return fingerprint(c, phase, data, true);
    }

    /** @param layersCount whether the layer settings (when set) tell runs apart: not for the supervised reference */
    private static JsonObject fingerprint(SslConfig c, String phase, Data data, boolean layersCount) {
        JsonObject config = Results.tree(c).getAsJsonObject();
        config.remove("out");
        if (c.layers().equals(org.embreg.experiments.model.LayerRegularization.NONE) || !layersCount) {
            config.remove("layers");
        }
        JsonObject run = new JsonObject();
        run.addProperty("phase", phase);
        run.add("config", config);
        run.add("data", Results.tree(data));
        return run;
    }

    /**
     * Trains a run to {@code steps} updates, continuing from its checkpoint when there is one, taking
     * checkpoints as it goes and one at the end of a completed run.
     *
     * @return the outcome, its iterations counting every update of the run (all parts)
     */
    private static TrainingLoop.Outcome train(Trainer trainer, Lars lars, TrainingCheckpoint resume, Optional<TrainingCheckpoint.Saved> saved,
            TimedBatches batches, TrainingLoop.Step step, int steps) {
        saved.ifPresent(s -> resume.restore(s, trainer, lars));
        int first = resume.updates();
        batches.skip(first);
        resume.startClock();
        TrainingLoop.Outcome part = TrainingLoop.run(trainer, first, steps - first, step, resume.saver(trainer, lars));
        if (part.completed(steps - first) && resume.updates() != steps) {
            resume.save(trainer, lars, steps);
        }
        return new TrainingLoop.Outcome(first + part.iterations(), part.divergence(), part.stoppedBy());
    }

    /** k-NN and linear-probe top-1 of an encoder's representations, and the test representations they were scored on. */
    private record Scores(double knn, double linear, Matrix testRepresentations) {
        double[] both() {
            return new double[] {knn, linear};
        }
    }

    private static Scores evaluate(Trainer trainer, Block encoder, ImageSet train, ImageSet test, long seed) {
        Matrix tr = Representations.of(encoder, train, trainer.getManager());
        Matrix te = Representations.of(encoder, test, trainer.getManager());
        double knn = WeightedKnn.top1(trainer.getManager(), tr, train.labels(), te, test.labels());
        double linear = LinearProbe.standard(seed).top1(trainer.getManager(), tr, train.labels(), te, test.labels());
        return new Scores(knn, linear, te);
    }

    /** The expander's output for representations (inference mode). */
    private static Matrix expanderOutput(Model model, Trainer trainer, Matrix representations) {
        Block expander = ((SslNetwork) model.getBlock()).getExpander();
        try (ai.djl.ndarray.NDManager scope = trainer.getManager().newSubManager()) {
            NDArray y = scope.create(representations.data(), new Shape(representations.rows(), representations.cols()));
            NDArray z = expander.forward(new ai.djl.training.ParameterStore(scope, false), new NDList(y), false).singletonOrThrow();
            return new Matrix(z.toFloatArray(), representations.rows(), (int) z.getShape().get(1));
        }
    }

    /** The supervised reference: k-NN and linear top-1 of its encoder, and its training seconds (all parts of a resumed run). */
    private record Supervised(double knn, double linear, double seconds) {}

    private Supervised supervised(SslConfig c, ImageSet train, ImageSet test, Data data, Path dir, ProgressReporter progress) {
        int classes = Math.max(train.classCount(), test.classCount());
        try (Model model = Model.newInstance("supervised")) {
            Engine.getInstance().setRandomSeed((int) c.seed());
            SequentialBlock net = new SequentialBlock().add(c.encoder().build(c.width(), train.height(), train.width())).add(Linear.builder().setUnits(classes).build());
            model.setBlock(net);
            DivergenceGuard guard = new DivergenceGuard();
            ProgressTrainingListener bar = new ProgressTrainingListener(progress, "supervised", c.steps(), c.logEvery());
            TrainingCheckpoint resume = new TrainingCheckpoint(dir.resolve("supervised.checkpoint"), fingerprint(c, "supervised", data, false),
                    resumeEvery, List.of(guard, bar));
            Optional<TrainingCheckpoint.Saved> saved = resume.read(c.steps());
            Lars lars = lars(c, saved.map(TrainingCheckpoint.Saved::updates).orElse(0));
            DefaultTrainingConfig djl = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(lars).addTrainingListeners(guard, bar);
            try (Trainer trainer = model.newTrainer(djl)) {
                trainer.initialize(new Shape(2 * c.batchSize(), 1, train.height(), train.width()));
                TimedBatches batches = views(c, train);
                train(trainer, lars, resume, saved, batches, (it, scope) -> {
                    var batch = batches.next(scope);
                    NDList x = new NDList(NDArrays.concat(batch.data()));
                    NDArray y = batch.labels().head();
                    NDList labels = new NDList(NDArrays.concat(new NDList(y, y)));
                    NDList predictions;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        predictions = trainer.forward(x);
                        gc.backward(trainer.getLoss().evaluate(labels, predictions));
                    }
                    return TrainingLoop.batchData(scope, x, labels, predictions, it, c.steps());
                }, c.steps());
                double seconds = resume.seconds();
                Scores s = evaluate(trainer, net.getChildren().get(0).getValue(), train, test, c.seed());
                return new Supervised(s.knn(), s.linear(), seconds);
            }
        }
    }

    /** The report printed at the end. */
    public static String table(SslRecord r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-22s %8s %8s%n", "representation", "k-NN", "linear"));
        sb.append(String.format(Locale.ROOT, "%-22s %8.4f %8.4f%n", "VICReg", r.knnTop1(), r.linearTop1()));
        sb.append(String.format(Locale.ROOT, "%-22s %8.4f %8.4f%n", "random init", r.randomInitKnnTop1(), r.randomInitLinearTop1()));
        sb.append(String.format(Locale.ROOT, "%-22s %8.4f %8.4f%n", "supervised", r.supervisedKnnTop1(), r.supervisedLinearTop1()));
        sb.append(String.format(Locale.ROOT, "%-22s %8.4f %8s%n", "pixels", r.pixelKnnTop1(), "-"));
        CollapseMeasures m = r.representation();
        if (m != null) {
            sb.append(String.format(Locale.ROOT, "representation: s_mu %.4f in [%.4f, %.4f], effective rank %.1f of %d, collapsed dims %d%n",
                    m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.effectiveRank(), m.dim(), m.collapsedDimensions()));
        }
        sb.append(String.format(Locale.ROOT, "pretraining step %.1f ms, of which the two views %s%n", 1000 * r.stepSeconds(),
                r.augmentationSecondsPerStep() == null ? "not measured (no step run now)"
                        : String.format(Locale.ROOT, "%.1f ms", 1000 * r.augmentationSecondsPerStep())));
        if (r.divergence() != null) {
            sb.append("pretraining diverged: ").append(r.divergence().describe()).append('\n');
        }
        return sb.toString();
    }
}
