package org.embreg.experiments.study;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One finished run of a study, as read back from its results.json (so a restarted study reuses
 * finished runs instead of training them again).
 */
public record StudyRow(String id, String loss, String regularizer, double learningRate, double lambda, int batch, int dim,
        double[] recallAt, double nmi, double mapAtR, double rPrecision, double meanSingularValue, double lowerBound, double upperBound,
        double effectiveRank, int collapsedDimensions, boolean diverged) {

    /** Reads a run directory's results.json. */
    public static StudyRow read(String id, Path results) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(results)).getAsJsonObject();
        JsonObject training = o.getAsJsonObject("config").getAsJsonObject("training");
        JsonObject r = o.getAsJsonObject("recallAt");
        double[] recall = {r.get("1").getAsDouble(), r.get("2").getAsDouble(), r.get("4").getAsDouble(), r.get("8").getAsDouble()};
        int batch = training.get("classesPerBatch").getAsInt() * training.get("samplesPerClass").getAsInt();
        return new StudyRow(id, o.get("loss").getAsString(), o.get("regularizer").getAsString(), training.get("learningRate").getAsDouble(),
                o.get("lambda").getAsDouble(), batch, training.get("dim").getAsInt(), recall, o.get("nmi").getAsDouble(),
                o.get("mapAtR").getAsDouble(), o.get("rPrecision").getAsDouble(), o.get("meanSingularValue").getAsDouble(),
                o.get("lowerBound").getAsDouble(), o.get("upperBound").getAsDouble(), o.get("effectiveRank").getAsDouble(), o.get("collapsedDimensions").getAsInt(),
                o.get("diverged").getAsBoolean());
    }

    /** The CSV header matching {@link #csv()}. */
    public static List<Object> csvHeader() {
        return List.of("id", "loss", "regularizer", "learningRate", "lambda", "batch", "dim", "recallAt1", "recallAt2", "recallAt4", "recallAt8",
                "nmi", "mapAtR", "rPrecision", "meanSingularValue", "lowerBound", "upperBound", "effectiveRank", "collapsedDimensions", "diverged");
    }

    /** R@1. */
    public double recallAt1() {
        return recallAt[0];
    }

    public List<Object> csv() {
        return List.of(id, loss, regularizer, learningRate, lambda, batch, dim, recallAt[0], recallAt[1], recallAt[2], recallAt[3], nmi, mapAtR,
                rPrecision, meanSingularValue, lowerBound, upperBound, effectiveRank, collapsedDimensions, diverged);
    }
}
