package org.embreg.experiments.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.embreg.data.AtomicFiles;

/**
 * The one place where results are turned into JSON and back: records in, records out (Gson, pretty
 * printed). Non-finite numbers are refused, so a NaN can never reach a results file silently.
 */
public final class Results {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().registerTypeHierarchyAdapter(Path.class, new PathAdapter().nullSafe())
            .create();

    /** For state kept between runs (a checkpoint's), where NaN and infinities are values to keep, not errors. */
    private static final Gson STATE = new GsonBuilder().serializeSpecialFloatingPointValues()
            .registerTypeHierarchyAdapter(Path.class, new PathAdapter().nullSafe()).create();

    private Results() {}

    /** A value as a JSON tree, NaN and infinities included. */
    public static JsonElement tree(Object value) {
        return STATE.toJsonTree(value);
    }

    /** A JSON tree's compact text, NaN and infinities included. */
    public static String compact(JsonElement tree) {
        return STATE.toJson(tree);
    }

    /**
     * A value back from its {@link #tree}.
     *
     * @throws JsonParseException if the tree is not of that shape
     */
    public static <T> T fromTree(JsonElement tree, Class<T> type) {
        T value = STATE.fromJson(tree, type);
        if (value == null) {
            throw new JsonParseException("no " + type.getSimpleName() + " in " + tree);
        }
        return value;
    }

    /** The JSON text of a value. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** The JSON text of a value (an object) with one more member. */
    public static String toJsonWith(Object value, String name, Object member) {
        com.google.gson.JsonObject o = GSON.toJsonTree(value).getAsJsonObject();
        o.add(name, GSON.toJsonTree(member));
        return GSON.toJson(o);
    }

    /** Writes a value as JSON, atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value) + "\n");
    }

    /**
     * Reads a JSON file into a record.
     *
     * @throws IOException if it cannot be read
     * @throws JsonParseException if it is not JSON of that shape
     */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        T value = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), type);
        if (value == null) {
            throw new JsonParseException(file + " is empty");
        }
        return value;
    }

    private static final class PathAdapter extends TypeAdapter<Path> {
        @Override
        public void write(JsonWriter out, Path value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Path read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            return Path.of(in.nextString());
        }
    }
}
