package org.embreg.experiments.ssl;

import java.nio.file.Path;
import java.util.List;

/** The two presets of {@code embreg ssl}. */
public enum SslPreset {
    /** Within 30 minutes on 2 CPU cores, pretraining and every baseline included. */
    QUICK("quick", 1500, 128, 16, List.of(512, 512, 512), 20000, 5000),
    /** For users with time: the whole training split, a wider encoder and a longer run. */
    LONG("long", 30000, 256, 32, List.of(2048, 2048, 2048), 0, 0);

    private final String cliName;
    private final int steps;
    private final int batchSize;
    private final int width;
    private final List<Integer> expander;
    private final int maxTrain;
    private final int maxTest;

    SslPreset(String cliName, int steps, int batchSize, int width, List<Integer> expander, int maxTrain, int maxTest) {
        this.cliName = cliName;
        this.steps = steps;
        this.batchSize = batchSize;
        this.width = width;
        this.expander = expander;
        this.maxTrain = maxTrain;
        this.maxTest = maxTest;
    }

    public String cliName() {
        return cliName;
    }

    /** VICReg's official base rate (per 256 images) and weight decay, 10% warm-up, loss weights 25 / 25 / 1. */
    public SslConfig config(long seed, Path data, Path out) {
        return new SslConfig(steps, batchSize, 0.2, 1e-6, steps / 10, width, expander, 25, 25, 1, seed, maxTrain, maxTest, 25, data, out);
    }
}
