package org.embreg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Fetches a dataset from a Debian package without root: {@code apt-get download PACKAGE} into a
 * temporary directory, {@code dpkg-deb -x} to unpack it there, then the files of one directory of
 * the package are moved into the target.
 */
public final class DebianPackageFetcher implements DatasetFetcher {
    private final String packageName;
    private final String directoryInPackage;

    /**
     * @param packageName e.g. "dataset-fashion-mnist"
     * @param directoryInPackage e.g. "usr/share/datasets/fashion-mnist"
     */
    public DebianPackageFetcher(String packageName, String directoryInPackage) {
        this.packageName = packageName;
        this.directoryInPackage = directoryInPackage;
    }

    @Override
    public String describe() {
        return "Debian package " + packageName + " (apt-get download + dpkg-deb -x)";
    }

    @Override
    public void fetch(Path target) throws IOException {
        Path work = Files.createTempDirectory("embreg-deb");
        try {
            run(work, "apt-get", "download", packageName);
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb file"));
            }
            Path unpacked = work.resolve("root");
            run(work, "dpkg-deb", "-x", deb.toString(), unpacked.toString());
            Path source = unpacked.resolve(directoryInPackage);
            if (!Files.isDirectory(source)) {
                throw new IOException("the package has no directory /" + directoryInPackage);
            }
            Files.createDirectories(target);
            try (Stream<Path> s = Files.list(source)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    Path tmp = target.resolve("." + f.getFileName() + ".part");
                    Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command[0] + " is not available: " + e.getMessage());
        }
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                String text = new String(out, StandardCharsets.UTF_8).trim();
                String[] lines = text.split("\n");
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + lines[lines.length - 1]);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + command[0]);
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
