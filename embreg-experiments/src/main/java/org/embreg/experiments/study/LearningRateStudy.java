package org.embreg.experiments.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;

/**
 * The SVMax paper's Table 1 and Figure 9 on our data: every ranking loss x {none, spread-out,
 * SVMax} x learning rates, each loss with the paper's batch layout, on the open-set split. Writes
 * results.csv, table.md (per loss and learning rate: NMI, R@1, R@8 and the R@1 difference to the
 * unregularized loss) and recall-vs-lr.png (R@1 against the learning rate, one line per
 * regularizer, one panel per loss).
 *
 * @param preset iterations, learning rates and test images
 * @param losses the losses to run
 * @param dim embedding size
 * @param width small CNN width
 * @param seed seed of every run
 */
public record LearningRateStudy(StudyPreset preset, List<RankingLossKind> losses, int dim, int width, long seed) implements Study {
    /** 60 runs of K = 300 with the small CNN: 25.5 minutes on the 2-core development machine. */
    public static final StudyPreset QUICK = new StudyPreset(300, new double[] {0.01, 0.1, 1, 8}, 2000);
    /** The paper's K = 5000, with rates down to 1e-4 and up to where plain training degrades here. */
    public static final StudyPreset PAPER = new StudyPreset(5000, new double[] {0.0001, 0.001, 0.01, 0.1, 1, 8}, 0);

    private static final List<RegularizerKind> ARMS = List.of(RegularizerKind.NONE, RegularizerKind.SPREAD_OUT, RegularizerKind.SVMAX);

    public LearningRateStudy {
        losses = List.copyOf(losses);
    }

    @Override
    public List<StudyRunner.StudyRun> runs() {
        List<StudyRunner.StudyRun> out = new ArrayList<>();
        for (RankingLossKind loss : losses) {
            for (double lr : preset.learningRates()) {
                for (RegularizerKind reg : ARMS) {
                    out.add(StudyRunner.StudyRun.arm(loss, reg, lr, loss.classesPerBatch() * loss.samplesPerClass(), dim, width, seed,
                            preset.iterations(), ""));
                }
            }
        }
        return out;
    }

    @Override
    public void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException {
        StudyReports.writeCsv(dir, rows);
        AtomicFiles.writeString(dir.root().resolve("table.md"), StudyReports.recallTable("Learning-rate study", rows, StudyRow::loss));
        AtomicFiles.write(dir.root().resolve("recall-vs-lr.png"), StudyReports.recallPanels(rows, StudyRow::loss));
    }
}
