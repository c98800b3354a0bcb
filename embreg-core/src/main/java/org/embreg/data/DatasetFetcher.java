package org.embreg.data;

import java.io.IOException;
import java.nio.file.Path;

/** One way of bringing a dataset into a directory when no local copy is found. */
public interface DatasetFetcher {
    /** A short description for messages, e.g. "Debian package dataset-fashion-mnist". */
    String describe();

    /**
     * Fetches the files into {@code target} (created if needed).
     *
     * @throws IOException with a message saying what failed
     */
    void fetch(Path target) throws IOException;
}
