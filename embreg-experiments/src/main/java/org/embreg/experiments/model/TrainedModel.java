package org.embreg.experiments.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.embreg.EmbregException;

/**
 * A network trained by {@code embreg retrieval} or {@code demo}, as its run directory keeps it:
 * the backbone, embedding size and width from {@code results.json} ({@code config.training}) and an
 * arm's last good parameters ({@code <arm>.params}, DJL's format). Serializable, so that it can be
 * shipped to where images are embedded (a cluster's executors).
 *
 * @param backbone the network
 * @param dim the embedding size
 * @param width the small CNN's first width
 * @param params the parameters, as DJL saved them
 * @param source where they came from, as errors name it
 */
public record TrainedModel(Backbone backbone, int dim, int width, byte[] params, String source) implements Serializable {

    /**
     * Reads a run directory.
     *
     * @param run the directory
     * @param arm the arm's name, or null when the run kept exactly one arm's parameters
     * @throws EmbregException naming the file or the arms there are
     */
    public static TrainedModel fromRun(Path run, String arm) {
        Path results = run.resolve("results.json");
        JsonObject training;
        try {
            training = JsonParser.parseString(Files.readString(results)).getAsJsonObject().getAsJsonObject("config").getAsJsonObject("training");
        } catch (NoSuchFileException e) {
            throw new EmbregException("--run: " + run + " has no results.json (not the directory of a retrieval or demo run)");
        } catch (IOException | RuntimeException e) {
            throw new EmbregException("--run: " + results + " is not the results of a retrieval or demo run (" + e.getMessage() + ")", e);
        }
        if (training == null || !training.has("backbone") || !training.has("dim") || !training.has("width")) {
            throw new EmbregException("--run: " + results + " has no config.training with backbone, dim and width");
        }
        List<String> arms;
        try (Stream<Path> s = Files.list(run)) {
            arms = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".params")).map(n -> n.substring(0, n.length() - 7)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new EmbregException("--run: cannot list " + run + " (" + e.getMessage() + ")", e);
        }
        String name = arm;
        if (name == null) {
            if (arms.size() != 1) {
                throw new EmbregException("--run: " + run + (arms.isEmpty() ? " holds no parameters (<arm>.params)" : " holds the parameters of "
                        + arms.size() + " arms (" + String.join(", ", arms) + "): choose one with --arm"));
            }
            name = arms.get(0);
        } else if (!arms.contains(name)) {
            throw new EmbregException("--arm " + name + ": " + run + " holds " + (arms.isEmpty() ? "no arm's parameters" : "the arms " + String.join(", ", arms)));
        }
        Path params = run.resolve(name + ".params");
        Backbone backbone;
        try {
            backbone = Backbone.valueOf(training.get("backbone").getAsString());
        } catch (IllegalArgumentException e) {
            throw new EmbregException("--run: " + results + " names an unknown backbone " + training.get("backbone"));
        }
        try {
            return new TrainedModel(backbone, training.get("dim").getAsInt(), training.get("width").getAsInt(), Files.readAllBytes(params),
                    params.toString());
        } catch (IOException e) {
            throw new EmbregException(params + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The network for images of a size, in inference mode, its parameters loaded and checked.
     *
     * @param manager owns the parameters (close it to free them)
     */
    public UnaryOperator<NDArray> network(NDManager manager, int height, int imageWidth) {
        Block block = backbone.build(dim, width, height, imageWidth);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, height, imageWidth));
        load(block, manager, params, source);
        ParameterStore store = new ParameterStore(manager, false);
        return x -> block.forward(store, new NDList(x), false).singletonOrThrow();
    }

    /**
     * Loads DJL parameters into an initialized block, checking every parameter's shape.
     *
     * @param source the parameters' origin, as errors name it (a file, an option)
     * @throws EmbregException when they are not parameters of this block
     */
    public static void load(Block block, NDManager manager, byte[] params, String source) {
        Map<String, Shape> expected = new LinkedHashMap<>();
        block.getParameters().forEach(p -> expected.put(p.getKey(), p.getValue().getArray().getShape()));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new EmbregException(source + ": not DJL parameters of this backbone and embedding size (" + e.getMessage() + ")", e);
        }
        block.getParameters().forEach(p -> {
            Shape got = p.getValue().getArray().getShape();
            if (!got.equals(expected.get(p.getKey()))) {
                throw new EmbregException(source + ": parameter " + p.getKey() + " has shape " + got + " but this backbone, embedding size and image "
                        + "size need " + expected.get(p.getKey()));
            }
        });
    }
}
