package io.pep.api;

import io.pep.identity.NotFound;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;

/**
 * Files pep serves from its jar (the API docs' page, the dashboard): read once and kept, answered
 * with their type, {@code no-cache} (a browser asks again after an upgrade) and {@code nosniff}.
 * A file is asked for by a name that is a key into the caller's table, never part of a path, so no
 * request can reach another file.
 */
public final class JarFiles {

    /** A file the caller serves: where it is on the classpath, and its content type. */
    public record File(String resource, String contentType) {
    }

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** The bytes of a classpath resource, read on first use. */
    public byte[] read(String resource) {
        return cache.computeIfAbsent(resource, key -> {
            try (InputStream in = JarFiles.class.getClassLoader().getResourceAsStream(key)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + key + " in pep's jar");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Answers {@code file} on the exchange's message. */
    public void answer(Exchange exchange, File file) {
        answer(exchange, read(file.resource()), file.contentType());
    }

    /** Answers {@code body} of type {@code contentType} on the exchange's message. */
    public static void answer(Exchange exchange, byte[] body, String contentType) {
        var out = exchange.getMessage();
        ApiRequest.dropInboundHeaders(out);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(body);
    }

    /**
     * The file of {@code table} named by the last segment of the request's path ({@code 404 Not found!}
     * for any other name). From the path itself: a {@code {asset}} header could be overridden by a
     * query parameter of that name.
     */
    public static File requested(Exchange exchange, Map<String, File> table) {
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String name = path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        File file = name == null ? null : table.get(name);
        if (file == null) {
            throw new NotFound();
        }
        return file;
    }
}
