package org.embreg.data;

import static org.embreg.data.NpyReaderTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstCell() throws Exception {
        Path f = dir.resolve("bom.csv");
        Files.writeString(f, "\uFEFF1,2\n3,4\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, CsvReader.readMatrix(f).data());
        Path h = dir.resolve("bom-header.csv");
        Files.writeString(h, "\uFEFFa,b\n3,4\n");
        assertArrayEquals(new float[] {3, 4}, CsvReader.readMatrix(h).data());
    }

    @Test
    void aFirstRowWithOneTypoIsAnErrorNotAHeader() throws Exception {
        Path f = dir.resolve("typo.csv");
        Files.writeString(f, "1,2x,3\n4,5,6\n");
        assertMessage(f, "line 1, column 2: '2x' is not a number", () -> CsvReader.readMatrix(f));
        Path all = dir.resolve("header.csv");
        Files.writeString(all, "# made by a test\n\"x\",\"y\",z\n4,5,6\n7,8,9\n");
        Matrix m = CsvReader.readMatrix(all);
        assertEquals(2, m.rows());
        assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9}, m.data());
        Path second = dir.resolve("second.csv");
        Files.writeString(second, "a,b\nc,d\n");
        assertMessage(second, "line 2, column 1: 'c'", () -> CsvReader.readMatrix(second));
        Path onlyHeader = dir.resolve("only.csv");
        Files.writeString(onlyHeader, "a,b\n\n");
        assertMessage(onlyHeader, "no data rows", () -> CsvReader.readMatrix(onlyHeader));
    }

    @Test
    void decimalCommasAreReadInSemicolonSeparatedFilesAndRefusedElsewhere() throws Exception {
        Path eu = dir.resolve("eu.csv");
        Files.writeString(eu, "x;y\n1,5;2,25\n-0,5 ; 3\n1.5;1e-3\n");
        assertArrayEquals(new float[] {1.5f, 2.25f, -0.5f, 3, 1.5f, 1e-3f}, CsvReader.readMatrix(eu).data());
        Path spaces = dir.resolve("spaces.txt");
        Files.writeString(spaces, "1 2\n1,5 2,25\n");
        assertMessage(spaces, "'1,5' is not a number; decimal commas", () -> CsvReader.readMatrix(spaces));
        Path mixed = dir.resolve("mixed.csv");
        Files.writeString(mixed, "1,5 2,25\n");
        assertMessage(mixed, "'5 2' is not a number", () -> CsvReader.readMatrix(mixed));
        assertMessage(mixed, "decimal commas are read only when values are separated by ';'", () -> CsvReader.readMatrix(mixed));
        Path tabs = dir.resolve("t.tsv");
        Files.writeString(tabs, "1\t2\n  3   4  \n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, CsvReader.readMatrix(tabs).data());
    }

    @Test
    void javaOnlyNumberFormsAreNotNumbers() throws Exception {
        Path f = dir.resolve("java.csv");
        Files.writeString(f, "1,2\n3,4d\n");
        assertMessage(f, "'4d'", () -> CsvReader.readMatrix(f));
        Path g = dir.resolve("numpy.csv");
        Files.writeString(g, "nan,-inf\n1,Infinity\n");
        Matrix m = CsvReader.readMatrix(g);
        assertTrue(Float.isNaN(m.data()[0]) && m.data()[1] == Float.NEGATIVE_INFINITY && m.data()[3] == Float.POSITIVE_INFINITY);
    }

    @Test
    void labelsMustBeWholeNumbersThatFitAnIntAndTheLineIsNamed() throws Exception {
        for (String bad : new String[] {"Infinity", "NaN", "1e300", "-inf", "2.5", "3000000000"}) {
            Path y = dir.resolve("y.csv");
            Files.writeString(y, "label\n0\n\n" + bad + "\n");
            assertMessage(y, "line 4: label '" + bad + "'", () -> CsvReader.readLabels(y));
            assertMessage(y, "labels must be whole numbers that fit in an int", () -> CsvReader.readLabels(y));
        }
        Path y = dir.resolve("ok.csv");
        Files.writeString(y, "3.0\n-1\n");
        assertArrayEquals(new int[] {3, -1}, CsvReader.readLabels(y));
        Path two = dir.resolve("two.csv");
        Files.writeString(two, "1\n2 3\n");
        assertMessage(two, "line 2 has 2", () -> CsvReader.readLabels(two));
    }

    @Test
    void devicesBinaryFilesAndTheMemoryLimitGiveClearErrors() throws Exception {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertMessage(zero, "not a regular file", () -> CsvReader.readMatrix(zero));
        }
        Path binary = dir.resolve("b.csv");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertMessage(binary, "not UTF-8 text", () -> CsvReader.readMatrix(binary));
        Path f = dir.resolve("big.csv");
        Files.writeString(f, "1,2,3,4\n".repeat(100));
        assertMessage(f, "EMBREG_JAVA_OPTS=-Xmx", () -> CsvReader.readMatrix(f, 1000));
        assertEquals(100, CsvReader.readMatrix(f, 1 << 20).rows());
    }
}
