package org.embreg.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Downloads gzip-compressed files from a base URL and checks the SHA-256 of each file's
 * decompressed content (so a re-compressed mirror passes and a corrupt download fails) before it
 * is moved into place.
 */
public final class HttpFetcher implements DatasetFetcher {
    /** What a checksum is taken of. */
    public enum Checksum {
        /** The decompressed content (a re-compressed mirror passes). */
        CONTENT,
        /** The downloaded file's bytes, as most published checksums are. */
        FILE
    }

    private final String baseUrl;
    private final Map<String, String> sha256OfContent;
    private final Checksum checksum;

    /**
     * @param baseUrl ends with '/'
     * @param sha256OfContent file name (e.g. "train-images-idx3-ubyte.gz") to the SHA-256 of its decompressed bytes
     */
    public HttpFetcher(String baseUrl, Map<String, String> sha256OfContent) {
        this(baseUrl, sha256OfContent, Checksum.CONTENT);
    }

    /**
     * @param baseUrl ends with '/'
     * @param sha256 file name to the SHA-256 of what {@code checksum} says
     * @param checksum what the checksums are of
     */
    public HttpFetcher(String baseUrl, Map<String, String> sha256, Checksum checksum) {
        this.baseUrl = baseUrl;
        this.sha256OfContent = Map.copyOf(sha256);
        this.checksum = checksum;
    }

    @Override
    public String describe() {
        return "download from " + baseUrl + " with SHA-256 check";
    }

    @Override
    public void fetch(Path target) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).followRedirects(HttpClient.Redirect.NORMAL).build();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(sha256OfContent).entrySet()) {
            String url = baseUrl + e.getKey();
            byte[] body;
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException(url + ": HTTP " + r.statusCode());
                }
                body = r.body();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while downloading " + url);
            }
            String got = checksum == Checksum.CONTENT ? contentSha256(body) : fileSha256(body);
            if (!got.equals(e.getValue())) {
                throw new IOException(url + ": SHA-256 of the " + (checksum == Checksum.CONTENT ? "content" : "file") + " is " + got + ", expected "
                        + e.getValue());
            }
            AtomicFiles.write(target.resolve(e.getKey()), body);
        }
    }

    /** SHA-256 (hex) of bytes as they are. */
    public static String fileSha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 (hex) of the decompressed content of gzip bytes, or of the bytes themselves if not gzip. */
    public static String contentSha256(byte[] bytes) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        boolean gz = bytes.length > 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
        try (InputStream in = gz ? new GZIPInputStream(new ByteArrayInputStream(bytes)) : new ByteArrayInputStream(bytes)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
