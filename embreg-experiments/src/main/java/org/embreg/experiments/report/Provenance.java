package org.embreg.experiments.report;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a result came from: versions, git SHA, machine, data source, seed and wall time. */
public final class Provenance {
    private Provenance() {}

    /**
     * @param seed the run's seed
     * @param dataSource where the data was found
     * @param wallSeconds the run's wall time
     * @param environment the process environment (for EMBREG_GIT_SHA)
     */
    public static Map<String, Object> collect(long seed, String dataSource, double wallSeconds, Map<String, String> environment) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", seed);
        p.put("javaVersion", System.getProperty("java.version"));
        p.put("djlVersion", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        p.put("engine", engine.getEngineName());
        p.put("pytorchVersion", engine.getVersion());
        p.put("eigenSolver", org.embreg.linalg.EigenSolvers.fastest().name());
        p.put("gitSha", gitSha(environment));
        p.put("device", "cpu");
        p.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("data", dataSource);
        p.put("wallSeconds", wallSeconds);
        return p;
    }

    static String gitSha(Map<String, String> environment) {
        String fromEnv = environment.get("EMBREG_GIT_SHA");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(Path.of(".").toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                return out;
            }
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
