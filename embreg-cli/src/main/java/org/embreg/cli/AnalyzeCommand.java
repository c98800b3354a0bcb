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
import java.io.PrintWriter;
import java.util.Locale;
import org.embreg.experiments.report.Results;
import org.embreg.spark.SparkAnalysis;
import org.embreg.spark.SparkAnalyze;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Diagnoses collapse in an embedding matrix (.npy or .csv): spectrum and SVMax bounds, dimensions, VICReg terms, retrieval.")
final class AnalyzeCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Path embeddings;
    /** --embeddings as given (with --spark it may be a URI that a Path would mangle). */
    String embeddingsText;

    @Option(names = "--embeddings", required = true, paramLabel = "FILE",
            description = "embeddings: a 2-D float32/float64 .npy or numeric text (CSV), told apart by content; with --spark also a directory of "
                    + ".npy shards, or Parquet (a .parquet file, a directory of them, or a URI Spark reads)")
    void embeddings(String value) {
        try {
            embeddings = new Main.PathConverter().convert(value);
        } catch (CommandLine.TypeConversionException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--embeddings': " + e.getMessage());
        }
        embeddingsText = value;
    }

    @Option(names = "--spark", arity = "0..1", fallbackValue = "", paramLabel = "MASTER",
            description = "run on Apache Spark: local[N], a cluster's master URL, or nothing for the one spark-submit set (else local[*])")
    String spark;

    @Option(names = "--column", paramLabel = "NAME", description = "with --spark and Parquet: the embedding column (array or vector; default: embedding)")
    String column;

    @Option(names = "--label-column", paramLabel = "NAME", description = "with --spark and Parquet: the integer label column, for Recall@K and NMI")
    String labelColumn;

    @Option(names = "--id-column", paramLabel = "NAME", description = "with --spark and Parquet: a column that errors name rows by")
    String idColumn;

    @Option(names = "--sample-queries", paramLabel = "N",
            description = "with --spark: estimate the retrieval metrics from N seeded sample queries, each against every row (default: every row)")
    Long sampleQueries;

    @Option(names = "--query-block", paramLabel = "N", description = "with --spark: queries per broadcast block of the neighbour search (default: 4096)")
    Integer queryBlock;

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

    @Option(names = "--skip-nmi", negatable = false,
            description = "with labels: skip k-means, so no NMI or AMI (its cost grows with the number of classes; pytorch-metric-learning's exclude)")
    boolean skipNmi;

    @Option(names = "--seed", description = "k-means seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Override
    public Integer call() {
        if (spark != null) {
            return callSpark();
        }
        for (Object[] o : new Object[][] {{"--column", column}, {"--label-column", labelColumn}, {"--id-column", idColumn},
                {"--sample-queries", sampleQueries}, {"--query-block", queryBlock}}) {
            if (o[1] != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), o[0] + " is only meaningful with --spark");
            }
        }
        Matrix e = EmbeddingFiles.readMatrix(embeddings);
        Matrix z = secondView == null ? null : EmbeddingFiles.readMatrix(secondView);
        int[] y = labels == null ? null : EmbeddingFiles.readLabels(labels);
        EmbeddingAnalysis.Input input = new EmbeddingAnalysis.Input(e, z, y, !noNormalize, collapseThreshold, seed, !skipNmi);
        EmbeddingAnalysis.Analysis result;
        try (NDManager manager = NDManager.newBaseManager()) {
            result = EmbeddingAnalysis.run(manager, input, EigenSolvers.fastest());
        }
        spec.commandLine().getOut().println(json ? RunDirectory.toJson(result) : EmbeddingAnalysis.report(result));
        return 0;
    }

    private int callSpark() {
        if (secondView != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--second-view is not supported with --spark (the VICReg terms and alignment "
                    + "need each row's second view; run analyze without --spark)");
        }
        boolean parquet;
        try {
            parquet = SparkAnalyze.isParquet(embeddingsText);
        } catch (NoClassDefFoundError e) {
            throw noSpark();
        }
        if (parquet && labels != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--labels is for .npy embeddings; with Parquet name the label column with "
                    + "--label-column");
        }
        if (!parquet && (column != null || labelColumn != null || idColumn != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--column, --label-column and --id-column are for Parquet embeddings; "
                    + embeddingsText + " is read as .npy (labels come with --labels)");
        }
        SparkAnalysis.Options options = new SparkAnalysis.Options(!noNormalize, collapseThreshold, seed, sampleQueries == null ? 0 : sampleQueries,
                queryBlock == null ? 4096 : queryBlock, !skipNmi);
        SparkAnalyze.Request request = new SparkAnalyze.Request(spark, embeddingsText, parquet, labels, column == null ? "embedding" : column,
                labelColumn, idColumn, options);
        SparkAnalysis.Report report;
        try {
            report = SparkAnalyze.run(request, EigenSolvers.fastest());
        } catch (NoClassDefFoundError e) {
            throw noSpark();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Results.toJsonWith(report.analysis(), "spark", report.spark()));
        } else {
            out.print(EmbeddingAnalysis.report(report.analysis()));
            SparkAnalysis.Provenance p = report.spark();
            if (Boolean.TRUE.equals(p.retrievalEstimate())) {
                out.printf(Locale.ROOT, "(retrieval metrics estimated from %d sampled queries, each against all %d rows)%n", p.retrievalQueries(),
                        report.analysis().rows());
            }
            out.printf(Locale.ROOT, "spark %s on %s: %d executor(s), parallelism %d, %d partition(s); stages:", p.sparkVersion(), p.master(),
                    p.executors(), p.defaultParallelism(), p.partitions());
            p.stageSeconds().forEach((k, v) -> out.printf(Locale.ROOT, " %s %.1f s;", k, v));
            out.println();
        }
        return 0;
    }

    private CommandLine.ParameterException noSpark() {
        return new CommandLine.ParameterException(spec.commandLine(), "--spark needs Apache Spark on the class path: run through the ./embreg "
                + "launcher (it adds it) or spark-submit (see the README)");
    }
}
