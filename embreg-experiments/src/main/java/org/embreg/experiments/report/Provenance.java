package org.embreg.experiments.report;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.embreg.linalg.SymmetricEigenSolver;

/**
 * Where a result came from.
 *
 * @param seed the run's seed
 * @param javaVersion the JVM's version
 * @param djlVersion DJL's version
 * @param engine the engine's name
 * @param pytorchVersion the engine's version
 * @param eigenSolver the host eigensolver of the spectra
 * @param gitSha the commit the code was built from
 * @param device the engine's device, e.g. "cpu()" or "gpu(0)"
 * @param processor the processor's model name
 * @param availableProcessors cores the JVM sees
 * @param os operating system and architecture
 * @param data where the data was found
 * @param wallSeconds the run's wall time so far
 */
public record Provenance(long seed, String javaVersion, String djlVersion, String engine, String pytorchVersion, String eigenSolver,
        String gitSha, String device, String processor, int availableProcessors, String os, String data, double wallSeconds) {

    /**
     * @param seed the run's seed
     * @param solver the eigensolver the run used
     * @param dataSource where the data was found
     * @param wallSeconds the run's wall time
     * @param environment the process environment (for EMBREG_GIT_SHA)
     */
    public static Provenance collect(long seed, SymmetricEigenSolver solver, String dataSource, double wallSeconds, Map<String, String> environment) {
        Engine engine = Engine.getInstance();
        return new Provenance(seed, System.getProperty("java.version"), Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
                solver.name(), gitSha(environment), engine.defaultDevice().toString(), processorName(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), dataSource, wallSeconds);
    }

    /** The processor's model name from /proc/cpuinfo, else the architecture. */
    static String processorName() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
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
