package org.embreg.experiments.study;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.embreg.data.AtomicFiles;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.experiments.retrieval.RankingLossKind;
import org.embreg.experiments.retrieval.RegularizerKind;

/**
 * The SVMax paper's Figure 5 on our data: batch sizes b in {72, 288} x embedding sizes d in {64,
 * 256}, each without a regularizer and with SVMax at one fixed weight (the paper's for the loss),
 * across learning rates. It shows whether one lambda serves every size: the bounded SVMax loss
 * divides by U - L, which depends on b and d, so the weight should not need retuning. Writes
 * results.csv, table.md (one block per loss, b and d) and recall-vs-lr.png (one panel per block).
 *
 * @param preset iterations, learning rates and test images
 * @param losses the losses to run
 * @param width small CNN width
 * @param seed seed of every run
 */
public record BatchDimStudy(StudyPreset preset, List<RankingLossKind> losses, int width, long seed) implements Study {
    /** The paper's batch sizes. */
    public static final List<Integer> BATCH_SIZES = List.of(72, 288);
    /** The paper's embedding sizes. */
    public static final List<Integer> DIMS = List.of(64, 256);
    /** K = 300 at three learning rates, 2,000 test images. */
    public static final StudyPreset QUICK = new StudyPreset(300, new double[] {0.1, 1, 8}, 2000);
    /** K = 5000 on the whole test split. */
    public static final StudyPreset PAPER = new StudyPreset(5000, new double[] {0.01, 0.1, 1, 8}, 0);

    private static final List<RegularizerKind> ARMS = List.of(RegularizerKind.NONE, RegularizerKind.SVMAX);

    public BatchDimStudy {
        losses = List.copyOf(losses);
    }

    @Override
    public List<StudyRunner.StudyRun> runs() {
        List<StudyRunner.StudyRun> out = new ArrayList<>();
        for (RankingLossKind loss : losses) {
            for (int b : BATCH_SIZES) {
                for (int d : DIMS) {
                    for (double lr : preset.learningRates()) {
                        for (RegularizerKind reg : ARMS) {
                            out.add(StudyRunner.StudyRun.arm(loss, reg, lr, b, d, width, seed, preset.iterations(), "b" + b + "-d" + d));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void writeReports(RunDirectory dir, List<StudyRow> rows) throws IOException {
        StudyReports.writeCsv(dir, rows);
        AtomicFiles.writeString(dir.root().resolve("table.md"),
                StudyReports.recallTable("Batch size and embedding size study (lambda fixed)", rows, BatchDimStudy::block));
        AtomicFiles.write(dir.root().resolve("recall-vs-lr.png"), StudyReports.recallPanels(rows, BatchDimStudy::block));
    }

    /** "contrastive, b = 72, d = 64". */
    static String block(StudyRow r) {
        return String.format(Locale.ROOT, "%s, b = %d, d = %d", r.loss(), r.batch(), r.dim());
    }
}
