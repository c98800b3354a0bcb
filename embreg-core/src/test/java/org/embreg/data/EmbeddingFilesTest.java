package org.embreg.data;

import static org.embreg.data.NpyReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingFilesTest {
    @TempDir
    Path dir;

    @Test
    void theFormatComesFromTheContentNotTheName() throws Exception {
        Matrix m = new Matrix(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Path npyNamedCsv = dir.resolve("e.csv");
        NpyWriter.write(npyNamedCsv, m);
        assertEquals(EmbeddingFiles.Format.NPY, EmbeddingFiles.formatOf(npyNamedCsv));
        assertArrayEquals(m.data(), EmbeddingFiles.readMatrix(npyNamedCsv).data());
        Path csvNamedNpy = dir.resolve("e.npy");
        Files.writeString(csvNamedNpy, "1,2\n3,4\n5,6\n");
        assertEquals(EmbeddingFiles.Format.TEXT, EmbeddingFiles.formatOf(csvNamedNpy));
        assertArrayEquals(m.data(), EmbeddingFiles.readMatrix(csvNamedNpy).data());
        Path labelsNamedTxt = dir.resolve("y.txt");
        NpyWriter.writeLabels(labelsNamedTxt, new int[] {4, 5, 4});
        assertArrayEquals(new int[] {4, 5, 4}, EmbeddingFiles.readLabels(labelsNamedTxt));
        Path labelsNamedNpy = dir.resolve("y.npy");
        Files.writeString(labelsNamedNpy, "4\n5\n4\n");
        assertArrayEquals(new int[] {4, 5, 4}, EmbeddingFiles.readLabels(labelsNamedNpy));
    }

    @Test
    void aFileNamedNpyThatIsNeitherSaysSo() throws Exception {
        Path bad = dir.resolve("bad.npy");
        Files.writeString(bad, "this is not a numpy file at all");
        assertMessage(bad, "not a .npy file (bad magic string), and not numeric text either", () -> EmbeddingFiles.readMatrix(bad));
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "\u0093NUM");
        assertEquals(EmbeddingFiles.Format.TEXT, EmbeddingFiles.formatOf(tiny));
        Path cut = dir.resolve("cut.csv");
        Files.write(cut, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        assertMessage(cut, "not a .npy file (only 8 bytes)", () -> EmbeddingFiles.readMatrix(cut));
    }

    @Test
    void devicesAndMissingFilesAreNamed() {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertMessage(zero, "not a regular file", () -> EmbeddingFiles.readMatrix(zero));
            assertMessage(zero, "not a regular file", () -> EmbeddingFiles.readLabels(zero));
        }
        Path none = dir.resolve("none.csv");
        assertMessage(none, "no such file", () -> EmbeddingFiles.readMatrix(none));
    }
}
