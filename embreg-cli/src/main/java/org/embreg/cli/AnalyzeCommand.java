package org.embreg.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.embreg.data.EmbeddingFiles;
import org.embreg.data.Matrix;
import org.embreg.experiments.analyze.EmbeddingAnalysis;
import org.embreg.experiments.report.RunDirectory;
import org.embreg.linalg.EigenSolvers;
import org.embreg.spectrum.DimensionStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Diagnoses collapse in an embedding matrix (.npy or .csv): spectrum and SVMax bounds, dimensions, VICReg terms, retrieval.")
final class AnalyzeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--embeddings", required = true, description = "embeddings: a 2-D float32/float64 .npy or numeric text (CSV), told apart by content")
    Path embeddings;

    @Option(names = "--second-view", description = "a second view of the same rows, for the VICReg terms")
    Path secondView;

    @Option(names = "--labels", description = "integer labels (1-D .npy or .csv), for Recall@K and NMI")
    Path labels;

    @Option(names = "--json", description = "print one JSON object instead of the report")
    boolean json;

    @Option(names = "--no-normalize", negatable = false, description = "do not L2-normalize rows for the spectrum and retrieval (dimensions are always measured as given)")
    boolean noNormalize;

    @Option(names = "--collapse-threshold", description = "std below which a dimension counts as collapsed (default: ${DEFAULT-VALUE})")
    double collapseThreshold = DimensionStats.DEFAULT_THRESHOLD;

    @Option(names = "--seed", description = "k-means seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() {
        Matrix e = EmbeddingFiles.readMatrix(embeddings);
        Matrix z = secondView == null ? null : EmbeddingFiles.readMatrix(secondView);
        int[] y = labels == null ? null : EmbeddingFiles.readLabels(labels);
        EmbeddingAnalysis.Input input = new EmbeddingAnalysis.Input(e, z, y, !noNormalize, collapseThreshold, seed);
        EmbeddingAnalysis.Analysis result;
        try (NDManager manager = NDManager.newBaseManager()) {
            result = EmbeddingAnalysis.run(manager, input, EigenSolvers.fastest());
        }
        spec.commandLine().getOut().println(json ? RunDirectory.toJson(result) : EmbeddingAnalysis.report(result));
        return 0;
    }
}
