package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.embreg.EmbregException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aWrittenFileHasThePermissionsOfAnyNewFileUnderTheUmask() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        // the expectation: what the process's umask makes of a file created the ordinary way
        Path reference = Files.createFile(dir.resolve("reference"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        Path target = dir.resolve("results.json");
        AtomicFiles.writeString(target, "{}\n");
        assertEquals(expected, Files.getPosixFilePermissions(target));
        assertTrue(expected.contains(PosixFilePermission.OWNER_READ) && expected.contains(PosixFilePermission.OWNER_WRITE), expected.toString());
        AtomicFiles.writeString(target, "{\"again\": 1}\n");
        assertEquals(expected, Files.getPosixFilePermissions(target));
        assertEquals("{\"again\": 1}\n", Files.readString(target));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("results.json");
        AtomicFiles.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, (OutputStream out) -> {
            out.write("new, half written".getBytes());
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            throw new IllegalStateException("a bug in the content");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void anUnwritableTargetIsNamed() throws Exception {
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        Path target = file.resolve("results.json");
        EmbregException e = assertThrows(EmbregException.class, () -> AtomicFiles.writeString(target, "{}"));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("not a directory"), e.getMessage());
        Path directory = Files.createDirectory(dir.resolve("results.dir"));
        Files.writeString(directory.resolve("inside"), "keep");
        e = assertThrows(EmbregException.class, () -> AtomicFiles.writeString(directory, "{}"));
        assertTrue(e.getMessage().contains(directory.toString()), e.getMessage());
        assertEquals("keep", Files.readString(directory.resolve("inside")));
        assertEquals(List.of(file, directory), files());
    }
}
