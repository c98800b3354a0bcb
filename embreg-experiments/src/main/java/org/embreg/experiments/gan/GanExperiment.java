package org.embreg.experiments.gan;

import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.report.SeedSpread;
import org.embreg.experiments.report.Snapshots;
import org.embreg.data.AtomicFiles;
import org.embreg.linalg.SymmetricEigenSolver;
import org.embreg.train.ProgressReporter;

/**
 * {@code embreg gan}: the SVMax paper's GAN on a ring of 8 Gaussians (Figure 3). Every configuration
 * is trained from every seed; the run directory gets {@code results.json} (metrics per configuration,
 * seed and recorded step, the last step's means and standard deviations over seeds as {@code final}
 * and {@code finalStd}), {@code gan.csv} (one row per configuration, seed and step), the loss terms
 * of each run, {@code heatmaps.png} (the first seed's samples) and provenance. results.json is
 * rewritten after every run, so an interrupted run keeps what it finished.
 */
public final class GanExperiment {
    /**
     * VEEGAN's measures, as means (in {@code final}) or standard deviations over seeds (in {@code finalStd}).
     *
     * @param klFromUniform over the seeds that had high-quality samples; null when none had
     */
    public record Final(double modesCovered, double modesCaptured, double highQualityFraction, Double klFromUniform) {}

    /**
     * One configuration over all seeds.
     *
     * @param name "plain", "plain+svmax", "unrolled" or "unrolled+svmax"
     * @param unrolledSteps the unrolling (0: plain)
     * @param svmaxWeight lambda of vanilla SVMax (0: none)
     * @param finalMean the last step's measures, mean over seeds
     * @param finalStd their sample standard deviations over seeds
     * @param runs every seed's run
     */
    public record ArmSummary(String name, int unrolledSteps, double svmaxWeight, @SerializedName("final") Final finalMean, Final finalStd,
            List<GanRun> runs) {}

    /** results.json. */
    public record GanRecord(String experiment, List<ArmSummary> arms, GanConfig config, GaussianRing data, Provenance provenance) {}

    /** What the run produced. */
    public record GanResult(List<ArmSummary> arms, Path runDirectory, String table) {}

    private final Map<String, String> environment;
    private final SymmetricEigenSolver solver;
    private final GaussianRing ring;

    /**
     * @param environment the process environment (provenance)
     * @param solver the host eigensolver of the spectra
     */
    public GanExperiment(Map<String, String> environment, SymmetricEigenSolver solver) {
        this.environment = environment;
        this.solver = solver;
        this.ring = GaussianRing.PAPER;
    }

    public GanResult run(GanConfig config, ProgressReporter progress) throws IOException {
        long start = System.nanoTime();
        RunDirectory dir = new RunDirectory(config.out());
        GanTrainer trainer = new GanTrainer(ring, solver);
        List<List<GanRun>> runs = new ArrayList<>();
        List<HeatMaps.Row> rows = new ArrayList<>();
        for (GanArm arm : config.arms()) {
            List<GanRun> armRuns = new ArrayList<>();
            runs.add(armRuns);
            for (int s = 0; s < config.seeds(); s++) {
                long seed = config.seed() + s;
                GanTrainer.Trained trained = trainer.run(config, arm, seed, progress, dir.root());
                armRuns.add(trained.run());
                if (s == 0) {
                    rows.add(heatmapRow(arm.name(), trained, config));
                }
                List<ArmSummary> summaries = summaries(config, runs);
                dir.writeJson("results.json", new GanRecord("gan", summaries, config, ring,
                        Provenance.collect(config.seed(), solver, "generated: " + describe(ring), (System.nanoTime() - start) / 1e9, environment)));
                dir.writeCsv("gan.csv", csv(summaries));
                AtomicFiles.write(dir.root().resolve("heatmaps.png"), HeatMaps.png(HEADERS, rows, ring));
            }
        }
        List<ArmSummary> summaries = summaries(config, runs);
        return new GanResult(summaries, dir.root(), table(summaries));
    }

    /** "8 Gaussians on a circle of radius 2, std 0.02". */
    static String describe(GaussianRing r) {
        return String.format(Locale.ROOT, "%d Gaussians on a circle of radius %s, std %s", r.modes(), r.radius(), r.std());
    }

    /** The heat map's column headers: the start, the quarters of the run, its end, and the truth. */
    static final List<String> HEADERS = List.of("start", "1/4", "1/2", "3/4", "end", "truth");

    /**
     * A row of the grid: the samples nearest to the start, the quarters and the end of the run (each
     * panel titled with the step it shows; a run that stopped early repeats its last state), then
     * the truth.
     */
    private HeatMaps.Row heatmapRow(String name, GanTrainer.Trained trained, GanConfig config) {
        List<Integer> steps = trained.run().curve().stream().map(GanRun.GanPoint::step).toList();
        List<Integer> picked = Snapshots.pick(steps, config.steps());
        List<HeatMaps.Panel> panels = new ArrayList<>();
        for (int c = 0; c < HEADERS.size() - 1; c++) {
            int i = picked.get(Math.min(c, picked.size() - 1));
            panels.add(new HeatMaps.Panel("step " + steps.get(i), trained.samples().get(i)));
        }
        panels.add(new HeatMaps.Panel("", ring.sample(config.evalSamples(), new Random(config.seed()))));
        return new HeatMaps.Row(name, panels);
    }

    static List<ArmSummary> summaries(GanConfig config, List<List<GanRun>> runs) {
        List<ArmSummary> out = new ArrayList<>();
        for (int a = 0; a < runs.size(); a++) {
            List<GanRun> r = runs.get(a);
            if (r.isEmpty()) {
                continue;
            }
            GanArm arm = config.arms().get(a);
            SeedSpread covered = spread(r, c -> (double) c.modesCovered());
            SeedSpread captured = spread(r, c -> (double) c.modesCaptured());
            SeedSpread quality = spread(r, ModeCoverage::highQualityFraction);
            List<Double> kls = r.stream().map(run -> run.last().coverage().klFromUniform()).filter(java.util.Objects::nonNull).toList();
            SeedSpread kl = kls.isEmpty() ? null : SeedSpread.of(kls);
            out.add(new ArmSummary(arm.name(), arm.unrolledSteps(), arm.svmaxWeight(),
                    new Final(covered.mean(), captured.mean(), quality.mean(), kl == null ? null : kl.mean()),
                    new Final(covered.std(), captured.std(), quality.std(), kl == null ? null : kl.std()), r));
        }
        return out;
    }

    private static SeedSpread spread(List<GanRun> runs, Function<ModeCoverage, Double> measure) {
        return SeedSpread.of(runs.stream().map(r -> measure.apply(r.last().coverage())).toList());
    }

    static List<List<?>> csv(List<ArmSummary> arms) {
        List<List<?>> rows = new ArrayList<>();
        rows.add(List.of("arm", "seed", "step", "highQualityFraction", "modesCaptured", "modesCovered", "klFromUniform", "meanSingularValue"));
        for (ArmSummary a : arms) {
            for (GanRun r : a.runs()) {
                for (GanRun.GanPoint p : r.curve()) {
                    ModeCoverage c = p.coverage();
                    rows.add(List.of(a.name(), r.seed(), p.step(), c.highQualityFraction(), c.modesCaptured(), c.modesCovered(),
                            c.klFromUniform() == null ? "" : c.klFromUniform(), p.meanSingularValue()));
                }
            }
        }
        return rows;
    }

    /** The table printed at the end: the last step's measures, mean ± std over seeds. */
    public static String table(List<ArmSummary> arms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %5s %-13s %-13s %-15s %-15s %s%n", "configuration", "seeds", "modes covered", "modes captured",
                "high quality", "KL(p || unif)", "diverged"));
        for (ArmSummary a : arms) {
            SeedSpread covered = new SeedSpread(a.finalMean().modesCovered(), a.finalStd().modesCovered(), a.runs().size());
            SeedSpread captured = new SeedSpread(a.finalMean().modesCaptured(), a.finalStd().modesCaptured(), a.runs().size());
            SeedSpread quality = new SeedSpread(a.finalMean().highQualityFraction(), a.finalStd().highQualityFraction(), a.runs().size());
            String kl = a.finalMean().klFromUniform() == null ? "-"
                    : new SeedSpread(a.finalMean().klFromUniform(), a.finalStd().klFromUniform(), a.runs().size()).format(3);
            long diverged = a.runs().stream().filter(r -> r.divergence() != null).count();
            sb.append(String.format(Locale.ROOT, "%-16s %5d %-13s %-14s %-15s %-15s %d%n", a.name(), a.runs().size(), covered.format(1),
                    captured.format(1), quality.format(3), kl, diverged));
        }
        return sb.toString();
    }
}
