package org.embreg.spark;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.embreg.EmbregException;
import org.embreg.data.AtomicFiles;
import org.embreg.data.IdxReader;
import org.embreg.data.ImageSet;
import org.embreg.data.Matrix;
import org.embreg.data.MnistLayout;
import org.embreg.experiments.model.Embedder;
import org.embreg.experiments.model.TrainedModel;
import org.embreg.experiments.report.Results;

/**
 * {@code embreg embed}: runs a trained embreg model over an image set of any size on Spark and
 * writes Parquet (columns {@code embedding} array&lt;float&gt;, {@code label} int, {@code id} long,
 * the image's index in the set) that {@code analyze --spark} reads. The images (an MNIST-layout
 * IDX split, raw or gzip) are cut into slices of rows; each task reads its slice where it lies,
 * builds the network once with the broadcast parameters and embeds the slice with DJL in inference
 * mode, in batches. The output is written to a temporary directory beside the target and renamed
 * into place when every task has finished, with {@code _embreg.json} (what was embedded, by which
 * model, where and how long) inside it; Spark's readers skip that file.
 */
public final class SparkEmbed {
    private SparkEmbed() {}

    /** Images per task. */
    static final int SLICE = 8192;

    /**
     * @param master the master URL (see {@link SparkAnalyze#session})
     * @param run a retrieval or demo run directory
     * @param arm its arm, or null when it kept one
     * @param images an MNIST-layout directory
     * @param train whether to embed its training split (else its test split)
     * @param out the Parquet directory to write (must not exist)
     * @param batch images per forward pass
     */
    public record Request(String master, Path run, String arm, Path images, boolean train, Path out, int batch) {
        public Request {
            if (batch < 1) {
                throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
            }
        }
    }

    /**
     * What was written, also kept as {@code _embreg.json} in the output.
     *
     * @param rows images embedded
     * @param dim embedding size
     * @param model the parameters used
     * @param images the image file
     * @param master Spark's master
     * @param partitions tasks (slices)
     * @param seconds wall time
     * @param gitSha the code's version
     */
    public record Summary(long rows, int dim, String model, String images, String master, int partitions, double seconds, String gitSha) {}

    /** One task's images. */
    record Slice(String images, String labels, long from, int count) implements Serializable {}

    public static Summary run(Request r, Map<String, String> environment) {
        long start = System.nanoTime();
        if (Files.exists(r.out())) {
            throw new EmbregException("--out " + r.out() + " exists; embed writes a new Parquet directory");
        }
        Path parent = r.out().toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw new EmbregException("--out " + r.out() + ": its directory " + parent + " does not exist or is not writable");
        }
        TrainedModel model = TrainedModel.fromRun(r.run(), r.arm());
        String split = r.train() ? "train" : "t10k";
        Path imageFile = MnistLayout.find(r.images(), split + "-images-idx3-ubyte")
                .orElseThrow(() -> new EmbregException("--images " + r.images() + ": missing " + split + "-images-idx3-ubyte[.gz]"));
        Path labelFile = MnistLayout.find(r.images(), split + "-labels-idx1-ubyte")
                .orElseThrow(() -> new EmbregException("--images " + r.images() + ": missing " + split + "-labels-idx1-ubyte[.gz]"));
        int[] dims = IdxReader.dims(imageFile);
        int[] labelDims = IdxReader.dims(labelFile);
        if (dims.length != 3 || labelDims.length != 1) {
            throw new EmbregException(imageFile + ": expected images of rank 3 and labels of rank 1, got ranks " + dims.length + " and " + labelDims.length);
        }
        if (dims[0] != labelDims[0]) {
            throw new EmbregException(imageFile + " holds " + dims[0] + " images but " + labelFile + " holds " + labelDims[0] + " labels");
        }
        List<Slice> slices = new ArrayList<>();
        for (long from = 0; from < dims[0]; from += SLICE) {
            slices.add(new Slice(imageFile.toString(), labelFile.toString(), from, (int) Math.min(SLICE, dims[0] - from)));
        }
        if (slices.isEmpty()) {
            throw new EmbregException(imageFile + " holds no images");
        }
        Path tmp = parent.resolve("." + r.out().getFileName() + ".tmp-" + ProcessHandle.current().pid());
        SparkSession spark = SparkAnalyze.session(r.master());
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Broadcast<TrainedModel> shared = jsc.broadcast(model);
            int h = dims[1];
            int w = dims[2];
            int batch = r.batch();
            JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).mapPartitions(it -> {
                List<Row> out = new ArrayList<>();
                try (NDManager manager = NDManager.newBaseManager()) {
                    var network = shared.value().network(manager, h, w);
                    while (it.hasNext()) {
                        Slice s = it.next();
                        ImageSet images = read(s, h, w);
                        Matrix e = Embedder.embed(manager, images, batch, network);
                        int d = e.cols();
                        for (int i = 0; i < images.size(); i++) {
                            out.add(RowFactory.create(java.util.Arrays.copyOfRange(e.data(), i * d, (i + 1) * d), images.labels()[i], s.from() + i));
                        }
                    }
                }
                return out.iterator();
            });
            StructType schema = new StructType().add(SparkInputs.EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false)
                    .add(SparkInputs.LABEL, DataTypes.IntegerType, false).add(SparkInputs.ID, DataTypes.LongType, false);
            try {
                spark.createDataFrame(rows, schema).write().parquet(tmp.toString());
            } catch (Exception e) { // SparkException is checked, thrown through Scala undeclared; a task's data error names its file
                throw SparkTables.dataError(e, null);
            }
            SparkContext sc = spark.sparkContext();
            Summary summary = new Summary(dims[0], model.dim(), model.source(), imageFile.toString(), sc.master(), slices.size(),
                    (System.nanoTime() - start) / 1e9, environment.getOrDefault("EMBREG_GIT_SHA", "unknown"));
            AtomicFiles.writeString(tmp.resolve("_embreg.json"), Results.toJson(summary));
            Files.move(tmp, r.out(), StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (IOException e) {
            throw new EmbregException("--out " + r.out() + ": cannot write: " + e.getMessage(), e);
        } finally {
            spark.stop();
            deleteTree(tmp);
        }
    }

    /** A slice of the images and labels, pixels scaled to [0, 1] as training read them ({@link MnistLayout}). */
    static ImageSet read(Slice s, int h, int w) {
        IdxReader.IdxArray images = IdxReader.slice(Path.of(s.images()), s.from(), s.count());
        IdxReader.IdxArray labels = IdxReader.slice(Path.of(s.labels()), s.from(), s.count());
        return MnistLayout.images(images.data(), labels.data(), h, w);
    }

    private static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a leftover temporary directory beside --out is harmless; the result is already in place or the error reported
        }
    }
}
