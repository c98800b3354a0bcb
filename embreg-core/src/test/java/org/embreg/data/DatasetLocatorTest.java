package org.embreg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embreg.EmbregException;
import org.embreg.testing.MnistFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetLocatorTest {
    @TempDir
    Path tmp;

    /** A fetcher that writes the generated layout, or fails. */
    record FakeFetcher(boolean works) implements DatasetFetcher {
        @Override
        public String describe() {
            return works ? "fake" : "broken fake";
        }

        @Override
        public void fetch(Path target) throws IOException {
            if (!works) {
                throw new IOException("no network");
            }
            try {
                MnistFixture.writeMnistLayout(target);
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    DatasetLocator locator(Map<String, String> sha, DatasetFetcher... fetchers) {
        return new DatasetLocator("Test data", "TEST_DATA", tmp.resolve("system"), tmp.resolve("cache"), List.of(fetchers),
                "ask a friend", sha);
    }

    @Test
    void explicitDirectoryComesFirstAndMustBeComplete() throws Exception {
        Path data = tmp.resolve("data");
        MnistFixture.writeMnistLayout(data);
        assertEquals(data, locator(Map.of()).locate(data, Map.of("TEST_DATA", "/nowhere")).directory());
        Files.delete(data.resolve("t10k-labels-idx1-ubyte"));
        EmbregException e = assertThrows(EmbregException.class, () -> locator(Map.of(), new FakeFetcher(true)).locate(data, Map.of()));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte") && e.getMessage().contains(data.toString()), e.getMessage());
    }

    @Test
    void environmentVariableIsUsedAndNamedWhenWrong() {
        EmbregException e = assertThrows(EmbregException.class, () -> locator(Map.of()).locate(null, Map.of("TEST_DATA", tmp.resolve("x").toString())));
        assertTrue(e.getMessage().contains("TEST_DATA="), e.getMessage());
    }

    @Test
    void fetchersAreTriedInOrderIntoTheCache() {
        DatasetLocator.Located found = locator(Map.of(), new FakeFetcher(false), new FakeFetcher(true)).locate(null, Map.of());
        assertEquals(tmp.resolve("cache"), found.directory());
        assertEquals("fake", found.source());
        assertEquals("cache (fetched from fake)", locator(Map.of()).locate(null, Map.of()).source());
    }

    @Test
    void whatAnInterruptedFetchLeftDoesNotMixWithTheNextSource() throws Exception {
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);
        // a raw file left behind would be preferred over the fetched .gz one
        Files.write(cache.resolve("train-images-idx3-ubyte"), new byte[] {1, 2, 3});
        DatasetLocator.Located found = locator(Map.of(), new FakeFetcher(true)).locate(null, Map.of());
        assertEquals(40, MnistLayout.train(found.directory()).size());
    }

    @Test
    void whenEverythingFailsTheErrorSaysWhatWasTriedAndHowToGetTheData() {
        EmbregException e = assertThrows(EmbregException.class, () -> locator(Map.of(), new FakeFetcher(false)).locate(null, Map.of()));
        assertTrue(e.getMessage().contains("no network") && e.getMessage().contains("ask a friend"), e.getMessage());
    }

    @Test
    void fetchedFilesWithTheWrongChecksumAreRejected() {
        EmbregException e = assertThrows(EmbregException.class,
                () -> locator(Map.of("t10k-labels-idx1-ubyte", "00"), new FakeFetcher(true)).locate(null, Map.of()));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
