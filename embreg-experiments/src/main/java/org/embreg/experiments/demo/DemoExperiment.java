package org.embreg.experiments.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.data.AtomicFiles;
import org.embreg.data.DatasetLocator;
import org.embreg.data.ImageSet;
import org.embreg.data.MnistLayout;
import org.embreg.experiments.ProgressListener;
import org.embreg.experiments.report.Charts;
import org.embreg.experiments.report.Provenance;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.RegularizerKind;
import org.embreg.experiments.retrieval.RetrievalTrainer;
import org.embreg.experiments.retrieval.RetrievalTrainer.ArmResult;
import org.embreg.experiments.retrieval.TrainingConfig;

/** Runs the demo and writes its run directory: results.json, training-log.csv and two PNG charts. */
public final class DemoExperiment {
    /** What the demo produced. */
    public record DemoResult(List<ArmResult> arms, Path runDirectory, String table) {}

    private final DatasetLocator locator;
    private final Map<String, String> environment;

    public DemoExperiment(DatasetLocator locator, Map<String, String> environment) {
        this.locator = locator;
        this.environment = environment;
    }

    public DemoResult run(DemoConfig config, ProgressListener progress) throws IOException {
        long start = System.nanoTime();
        DatasetLocator.Located data = locator.locate(config.dataDir(), environment);
        ImageSet trainAll = MnistLayout.train(data.directory());
        ImageSet testAll = MnistLayout.test(data.directory());
        int classes = Math.max(max(trainAll.labels()), max(testAll.labels())) + 1;
        if (classes < 4) {
            throw new EmbregException(data.directory() + ": the open-set split needs at least 4 classes, found " + classes);
        }
        int half = classes / 2;
        ImageSet train = trainAll.classes(0, half);
        ImageSet test = testAll.classes(half, classes);
        if (config.maxTrainImages() > 0) {
            train = train.head(config.maxTrainImages());
        }
        if (config.maxTestImages() > 0) {
            test = test.head(config.maxTestImages());
        }
        if (train.classCount() < 2 || test.classCount() < 2) {
            throw new EmbregException(data.directory() + ": the split has " + train.classCount() + " training and " + test.classCount()
                    + " test classes; at least 2 of each are needed");
        }
        RunDirectory dir = new RunDirectory(config.out());
        List<ArmResult> arms = new ArrayList<>();
        RetrievalTrainer trainer = new RetrievalTrainer();
        TrainingConfig base = config.training();
        TrainingConfig[] configs = {
            base.withRegularizer(RegularizerKind.NONE, 0),
            base.withRegularizer(RegularizerKind.SVMAX, config.svmaxLambda()),
            base.withRegularizer(RegularizerKind.VICREG_VARIANCE, config.vicregLambda()),
        };
        for (TrainingConfig c : configs) {
            ArmResult arm = trainer.run(c, train, test, progress);
            arms.add(arm);
            AtomicFiles.write(dir.root().resolve(arm.name() + ".params"), arm.parameters());
            writeOutputs(dir, config, data, arms, (System.nanoTime() - start) / 1e9, train, test);
        }
        return new DemoResult(arms, dir.root(), table(arms));
    }

    private void writeOutputs(RunDirectory dir, DemoConfig config, DatasetLocator.Located data, List<ArmResult> arms, double seconds,
            ImageSet train, ImageSet test) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", "demo");
        List<Object> armList = new ArrayList<>();
        for (ArmResult a : arms) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", a.name());
            Map<String, Double> recall = new LinkedHashMap<>();
            String[] ks = {"1", "2", "4", "8"};
            for (int i = 0; i < ks.length; i++) {
                recall.put(ks[i], a.metrics().recallAt()[i]);
            }
            m.put("recallAt", recall);
            m.put("nmi", a.metrics().nmi());
            m.put("mapAtR", a.metrics().mapAtR());
            m.put("rPrecision", a.metrics().rPrecision());
            m.put("meanSingularValue", a.metrics().meanSingularValue());
            m.put("lowerBound", a.metrics().lowerBound());
            m.put("upperBound", a.metrics().upperBound());
            m.put("effectiveRank", a.metrics().effectiveRank());
            m.put("collapsedDimensions", a.metrics().collapsedDimensions());
            m.put("lambda", a.config().lambda());
            m.put("diverged", a.diverged());
            m.put("trainSeconds", a.trainSeconds());
            armList.add(m);
        }
        results.put("arms", armList);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("training", config.training());
        cfg.put("svmaxLambda", config.svmaxLambda());
        cfg.put("vicregLambda", config.vicregLambda());
        cfg.put("trainImages", train.size());
        cfg.put("testImages", test.size());
        cfg.put("trainClasses", train.classCount());
        cfg.put("testClasses", test.classCount());
        results.put("config", cfg);
        results.put("provenance", Provenance.collect(config.training().seed(), data.directory() + " (" + data.source() + ")", seconds, environment));
        dir.writeJson("results.json", results);
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("arm", "iteration", "learningRate", "total", "contrastive", "regularizer", "meanSingularValue", "lowerBound", "upperBound"));
        for (ArmResult a : arms) {
            for (RetrievalTrainer.LogRow r : a.log()) {
                double reg = a.config().regularizer() == RegularizerKind.NONE ? 0 : r.terms().getOrDefault(a.name(), 0.0);
                rows.add(List.of(a.name(), r.iteration(), r.learningRate(), r.terms().getOrDefault("total", Double.NaN),
                        r.terms().getOrDefault("contrastive", Double.NaN), reg, r.meanSingularValue(), r.lowerBound(), r.upperBound()));
            }
        }
        dir.writeCsv("training-log.csv", rows);
        dir.writePng("mean-singular-value.png", Charts.meanSingularValue(arms));
        dir.writePng("recall-at-k.png", Charts.recall(arms));
    }

    /** The comparison table printed at the end. */
    public static String table(List<ArmResult> arms) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %6s %6s %6s %8s %17s %8s %9s%n", "arm", "R@1", "R@8", "NMI", "s_mu", "[L, U]", "eff.rank",
                "collapsed"));
        for (ArmResult a : arms) {
            var m = a.metrics();
            sb.append(String.format(Locale.ROOT, "%-16s %6.3f %6.3f %6.3f %8.4f [%6.4f, %6.4f] %8.1f %9d%s%n", a.name(), m.recallAt()[0],
                    m.recallAt()[3], m.nmi(), m.meanSingularValue(), m.lowerBound(), m.upperBound(), m.effectiveRank(), m.collapsedDimensions(),
                    a.diverged() ? "  (diverged)" : ""));
        }
        return sb.toString();
    }

    private static int max(int[] a) {
        int m = Integer.MIN_VALUE;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

}
