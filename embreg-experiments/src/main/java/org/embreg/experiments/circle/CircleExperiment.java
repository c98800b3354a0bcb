package org.embreg.experiments.circle;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.embreg.data.AtomicFiles;
import org.embreg.data.DatasetLocator;
import org.embreg.data.ImageSet;
import org.embreg.data.MnistLayout;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.report.SeedSpread;
import org.embreg.experiments.report.Snapshots;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.ProgressReporter;

/**
 * {@code embreg circle}: MNIST embedded on the unit circle with and without SVMax (Figure 4 of the
 * SVMax paper), over several seeds. The run directory gets {@code results.json} (per arm: the last
 * epoch's angle entropy, nearest-neighbour accuracy and s_mu with bounds, means and standard
 * deviations over seeds, and every seed's curve), {@code circle.csv} (one row per arm, seed and
 * epoch), {@code circle.png} (both arms' frames at five epochs, first seed), {@code none.gif} and
 * {@code svmax.gif} (every epoch, first seed), the loss terms of each run, and provenance.
 * results.json is rewritten after every run.
 */
public final class CircleExperiment {
    /** GIF frame time. */
    static final int GIF_DELAY_MILLIS = 300;

    /**
     * One arm over all seeds: the last epoch's measures as means with sample standard deviations.
     *
     * @param name "none" or "svmax"
     * @param svmaxWeight lambda (0 for none)
     * @param runs every seed's run
     */
    public record ArmSummary(String name, double svmaxWeight, double angleEntropy, double angleEntropyStd, double nearestNeighbourAccuracy,
            double nearestNeighbourAccuracyStd, double meanSingularValue, double meanSingularValueStd, double lowerBound, double upperBound,
            List<CircleRun> runs) {}

    /**
     * The data as used.
     *
     * @param source where it was found
     * @param trainImages images of the training split
     * @param testImages images of the test split (all measured)
     * @param frameImages test images in the pictures
     */
    public record DataSummary(String source, int trainImages, int testImages, int frameImages, int height, int width) {}

    /** results.json. */
    public record CircleRecord(String experiment, List<ArmSummary> arms, CircleConfig config, DataSummary data, Provenance provenance) {}

    /** What the run produced. */
    public record CircleResult(List<ArmSummary> arms, Path runDirectory, String table) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;

    /**
     * @param locator finds MNIST
     * @param environment the process environment
     * @param solver the host eigensolver of the spectra
     */
    public CircleExperiment(DatasetLocator locator, Map<String, String> environment, SymmetricEigenSolver solver) {
        this.locator = locator;
        this.environment = environment;
        this.solver = solver;
    }

    public CircleResult run(CircleConfig config, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        DatasetLocator.Located located = locator.locate(config.data(), environment);
        RunDirectory dir = new RunDirectory(config.out());
        ImageSet train = MnistLayout.train(located.directory());
        ImageSet test = MnistLayout.test(located.directory());
        if (train.classCount() < config.classesPerBatch()) {
            throw new org.embreg.EmbregException(located.directory() + ": the training split has " + train.classCount() + " classes, a batch needs "
                    + config.classesPerBatch());
        }
        ImageSet frames = test.size() <= config.frameSamples() ? test : test.sample(config.frameSamples(), config.seed());
        DataSummary data = new DataSummary(located.source() + " (" + located.directory() + ")", train.size(), test.size(), frames.size(),
                train.height(), train.width());
        CircleTrainer trainer = new CircleTrainer(solver);
        List<RegularizerKind> arms = List.of(RegularizerKind.NONE, RegularizerKind.SVMAX);
        List<List<CircleRun>> runs = new ArrayList<>();
        List<CircleFrames.Row> rows = new ArrayList<>();
        for (RegularizerKind arm : arms) {
            List<CircleRun> armRuns = new ArrayList<>();
            runs.add(armRuns);
            for (int s = 0; s < config.seeds(); s++) {
                long seed = config.seed() + s;
                CircleTrainer.Trained trained = trainer.run(config, arm, seed, train, test, frames, progress, dir.root());
                armRuns.add(trained.run());
                if (s == 0) {
                    List<BufferedImage> images = new ArrayList<>();
                    for (int e = 0; e < trained.frames().size(); e++) {
                        images.add(CircleFrames.frame(trained.frames().get(e), frames.labels(),
                                arm.armName() + " · epoch " + trained.run().curve().get(e).epoch()));
                    }
                    AtomicFiles.write(dir.root().resolve(arm.armName() + ".gif"), CircleFrames.gif(images, GIF_DELAY_MILLIS));
                    List<BufferedImage> columns = new ArrayList<>();
                    List<Integer> epochs = trained.run().curve().stream().map(CircleRun.EpochPoint::epoch).toList();
                    Snapshots.pick(epochs, config.epochs()).forEach(i -> columns.add(images.get(i)));
                    while (columns.size() < Snapshots.FRACTIONS.length) {
                        columns.add(images.get(images.size() - 1)); // a run that stopped early: its last state
                    }
                    rows.add(new CircleFrames.Row(arm.armName(), columns));
                }
                List<ArmSummary> summaries = summaries(config, arms, runs);
                dir.writeJson("results.json", new CircleRecord("circle", summaries, config, data,
                        Provenance.collect(config.seed(), solver, data.source(), (System.nanoTime() - start) / 1e9, environment)));
                dir.writeCsv("circle.csv", csv(summaries));
            }
        }
        AtomicFiles.write(dir.root().resolve("circle.png"), CircleFrames.gridPng(rows));
        List<ArmSummary> summaries = summaries(config, arms, runs);
        return new CircleResult(summaries, dir.root(), table(summaries));
    }

    static List<ArmSummary> summaries(CircleConfig config, List<RegularizerKind> arms, List<List<CircleRun>> runs) {
        List<ArmSummary> out = new ArrayList<>();
        for (int a = 0; a < runs.size(); a++) {
            List<CircleRun> r = runs.get(a);
            if (r.isEmpty()) {
                continue;
            }
            SeedSpread entropy = spread(r, CircleRun.EpochPoint::angleEntropy);
            SeedSpread nn = spread(r, CircleRun.EpochPoint::nearestNeighbourAccuracy);
            SeedSpread sMu = spread(r, CircleRun.EpochPoint::meanSingularValue);
            CircleRun.EpochPoint last = r.get(0).last();
            out.add(new ArmSummary(arms.get(a).armName(), arms.get(a) == RegularizerKind.NONE ? 0 : config.svmaxWeight(), entropy.mean(),
                    entropy.std(), nn.mean(), nn.std(), sMu.mean(), sMu.std(), last.lowerBound(), last.upperBound(), r));
        }
        return out;
    }

    private static SeedSpread spread(List<CircleRun> runs, ToDoubleFunction<CircleRun.EpochPoint> measure) {
        return SeedSpread.of(runs.stream().map(r -> measure.applyAsDouble(r.last())).toList());
    }

    static List<List<?>> csv(List<ArmSummary> arms) {
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("arm", "seed", "epoch", "steps", "angleEntropy", "nearestNeighbourAccuracy", "meanSingularValue", "lowerBound", "upperBound"));
        for (ArmSummary a : arms) {
            for (CircleRun r : a.runs()) {
                for (CircleRun.EpochPoint p : r.curve()) {
                    rows.add(List.of(a.name(), r.seed(), p.epoch(), p.steps(), p.angleEntropy(), p.nearestNeighbourAccuracy(), p.meanSingularValue(),
                            p.lowerBound(), p.upperBound()));
                }
            }
        }
        return rows;
    }

    /** The table printed at the end: the last epoch's measures, mean ± std over seeds. */
    public static String table(List<ArmSummary> arms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %5s %-15s %-15s %-19s %s%n", "arm", "seeds", "angle entropy", "1-NN accuracy", "s_mu", "[L, U]"));
        for (ArmSummary a : arms) {
            int n = a.runs().size();
            sb.append(String.format(Locale.ROOT, "%-6s %5d %-15s %-15s %-19s [%.2f, %.2f]%n", a.name(), n,
                    new SeedSpread(a.angleEntropy(), a.angleEntropyStd(), n).format(3),
                    new SeedSpread(a.nearestNeighbourAccuracy(), a.nearestNeighbourAccuracyStd(), n).format(3),
                    new SeedSpread(a.meanSingularValue(), a.meanSingularValueStd(), n).format(2), a.lowerBound(), a.upperBound()));
        }
        return sb.toString();
    }
}
