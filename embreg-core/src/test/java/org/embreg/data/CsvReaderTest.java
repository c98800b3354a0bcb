package org.embreg.data;

import static org.embreg.data.NpyReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsWithAndWithoutHeader() throws Exception {
        Path f = dir.resolve("e.csv");
        Files.writeString(f, "a,b\n1,2\n3.5, -4\n");
        Matrix m = CsvReader.readMatrix(f);
        assertEquals(2, m.rows());
        assertArrayEquals(new float[] {1, 2, 3.5f, -4}, m.data());
        Path y = dir.resolve("y.csv");
        Files.writeString(y, "0\n1\n1\n");
        assertArrayEquals(new int[] {0, 1, 1}, CsvReader.readLabels(y));
    }

    @Test
    void raggedOrNonNumericRowsAreNamed() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "1,2\n3\n");
        assertMessage(f, "line 2", () -> CsvReader.readMatrix(f));
        Path g = dir.resolve("nan.csv");
        Files.writeString(g, "1,2\n3,x\n");
        assertMessage(g, "'x'", () -> CsvReader.readMatrix(g));
        Path h = dir.resolve("frac.csv");
        Files.writeString(h, "0\n1.5\n");
        assertMessage(h, "whole numbers", () -> CsvReader.readLabels(h));
    }
}
