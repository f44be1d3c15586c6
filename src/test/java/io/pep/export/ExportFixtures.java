package io.pep.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the export tests share: the portal's key, JSON, reading the drop folder. */
final class ExportFixtures {

    static final String API_KEY = "test-key-7f3c9a1e55d0";
    static final ObjectMapper JSON = new ObjectMapper();

    private ExportFixtures() {
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** POST to a pep on loopback (a child process, say) by port. */
    static java.net.http.HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).timeout(java.time.Duration.ofMinutes(2)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** An export's answer once the run ended: what {@code ?wait=} answers when the run ends in time. */
    record Ended(int statusCode, String body) {
    }

    /**
     * Asks the pep on {@code port} for an upload run over HTTP, on a thread of its own: for a test
     * that kills that pep while the run is at the portal (the answer never comes).
     */
    static void uploadInBackground(int port) {
        Thread poster = new Thread(() -> {
            try {
                post(port, "/v3/exports/upload?wait=60");
            } catch (Exception e) {
                // killed under us
            }
        });
        poster.setDaemon(true);
        poster.start();
    }

    /**
     * Runs an export to its end as a script would: {@code POST path?wait=}, and while the answer is 202,
     * polls its {@code Location} until the run is no longer {@code running}. A 202 that ended so answers
     * as {@code ?wait=} would have: 500 for a failed run, else 200. Other answers (400, 409, 503) as they came.
     */
    static Ended export(int port, String path) throws IOException, InterruptedException {
        String base = "http://127.0.0.1:" + port;
        var answer = post(port, path + (path.contains("?") ? "&" : "?") + "wait=60");
        if (answer.statusCode() != 202) {
            return new Ended(answer.statusCode(), answer.body());
        }
        String location = answer.headers().firstValue("Location").orElseThrow();
        long deadline = System.currentTimeMillis() + 10 * 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                var run = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + location)).GET()
                        .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (run.statusCode() == 200 && !"running".equals(json(run.body()).path("status").asText())) {
                    return new Ended("failed".equals(json(run.body()).path("status").asText()) ? 500 : 200, run.body());
                }
            } catch (IOException e) {
                // asked again below
            }
            Thread.sleep(50);
        }
        throw new AssertionError("export " + location + " did not end within 10 minutes");
    }

    /** The file names in {@code dir}, hidden ones too. */
    static List<String> names(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The complete drops in {@code dir} (*.csv), oldest name first. */
    static List<Path> drops(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The enrollment ids (first column) of every drop in {@code dir}, duplicates kept. */
    static List<String> droppedIds(Path dir) {
        List<String> ids = new ArrayList<>();
        for (Path drop : drops(dir)) {
            ids.addAll(idsOf(drop));
        }
        return ids;
    }

    static List<String> idsOf(Path drop) {
        try {
            List<String> lines = Files.readAllLines(drop);
            List<String> ids = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                ids.add(line.split(",", 2)[0]);
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
