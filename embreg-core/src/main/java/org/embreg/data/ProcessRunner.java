package org.embreg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the external tools of the fetchers (apt-get, dpkg-deb, npm, tar) and cleans up their temporary directories. */
final class ProcessRunner {
    private ProcessRunner() {}

    /** Runs a command in a directory; a failure is an IOException naming the command and its last line of output. */
    static void run(Path dir, String... command) throws IOException {
        Path log = Files.createTempFile(dir, ".command", ".log");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is not available: " + e.getMessage());
        }
        try {
            // the output goes to a file, so a command that hangs with its output open still times out here
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                String text = Files.readString(log, StandardCharsets.UTF_8).trim();
                String[] lines = text.split("\n");
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + lines[lines.length - 1]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command[0]);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort clean-up of a temporary directory
        }
    }
}
