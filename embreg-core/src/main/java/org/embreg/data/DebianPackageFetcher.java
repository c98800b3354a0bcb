package org.embreg.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            ProcessRunner.run(work, "apt-get", "download", packageName);
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb file"));
            }
            Path unpacked = work.resolve("root");
            ProcessRunner.run(work, "dpkg-deb", "-x", deb.toString(), unpacked.toString());
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
            ProcessRunner.deleteTree(work);
        }
    }
}
