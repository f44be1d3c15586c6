package io.pep.export;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cloud portal's bulk enrollment API (SPEC §5) as a real HTTP server on loopback: checks the
 * bearer key, the multipart field, the CSV rules and the size limit; answers BulkResponse JSON;
 * moves each upload new → processing → completed over polls; reports ids claimed already as
 * 409 duplicate in the error report. Can fail a share of requests with 500, 429 or a timeout
 * (answer held past the client's timeout), before doing anything. Counts every claim per id.
 * Bulk deletes (SPEC §5, removing enrollments) take the same multipart CSV, are polled the same way
 * and delete each id the portal holds; an id it does not hold is reported {@code 404 not_found}.
 */
final class FakePortal implements AutoCloseable {

    static final Pattern ENROLLMENT_ID = Pattern.compile("A-[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");

    private final HttpServer server;
    /** Serves the error reports when {@link #reportsElsewhere()} is on: another loopback address, another host. */
    private HttpServer reportServer;
    private final String apiKey;
    /** Method, path and query of every request, in order. */
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The Authorization headers the report host received (it must never see the key). */
    final List<String> reportHostAuthorizations = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Ids in every upload request that reached the portal (faulted or not), and in bulks it created. */
    final AtomicInteger idsReceived = new AtomicInteger();
    final AtomicInteger idsInBulks = new AtomicInteger();
    private final Map<String, AtomicInteger> sendsPerId = new ConcurrentHashMap<>();
    /** Per-id errors the portal reports for these ids (code, type, message) instead of creating them. */
    private final Map<String, String[]> refusals = new ConcurrentHashMap<>();
    /** Enrollment id -> the answer the error report of a bulk holding it gets instead of the report: {status, Location or null}. */
    private final Map<String, String[]> reportFaults = new ConcurrentHashMap<>();
    /** Error report links stay on the portal, which answers them with a 302 to the report host (127.0.0.2). */
    private volatile boolean redirectReports;
    /** Downloads of each error report answered with the header line only (report not ready yet). */
    private volatile int reportLag;
    private final Map<String, AtomicInteger> reportDownloads = new ConcurrentHashMap<>();
    /** The storm: 429 with Retry-After, 500, 502, 503, dropped connections, and once a drop after creating a bulk. */
    private volatile boolean storm;
    private volatile boolean dropAfterCreateOnce;
    private volatile String retryAfter = "1";
    /** Answers the first n upload requests with 429 and this Retry-After. */
    private final AtomicInteger tooManyFirst = new AtomicInteger();
    private final List<Long> uploadTimes = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(42);
    private final Map<String, Bulk> bulks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> claims = new ConcurrentHashMap<>();
    private final AtomicInteger bulkNumber = new AtomicInteger();
    /** Bulk deletes: how often each id was deleted (it was held), and how often it was in a bulk delete at all. */
    private final Map<String, AtomicInteger> deletions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deleteSends = new ConcurrentHashMap<>();
    /** Per-id errors the portal reports in a bulk delete's report for these ids instead of deleting them. */
    private final Map<String, String[]> deleteRefusals = new ConcurrentHashMap<>();
    /** Answers every bulk delete request with this status (0: served normally). */
    private volatile int deletePostStatus;
    /** The next bulk delete is created and processed at once, but its answer is lost (the connection drops). */
    private volatile boolean dropDeleteAnswerOnce;
    final AtomicInteger deleteBulks = new AtomicInteger();
    final AtomicInteger faults = new AtomicInteger();
    final AtomicInteger uploads = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    private volatile double faultShare;
    private volatile long timeoutMillis = 1500;
    private volatile long maxBytes = 10L * 1024 * 1024;
    /** Polls an upload answers 'processing' before 'completed' (Integer.MAX_VALUE: never completes). */
    private volatile int processingPolls = 1;

    private static final class Bulk {
        final String id;
        final List<String> ids;
        /** A bulk delete (SPEC §5, removing enrollments) instead of a bulk upload. */
        boolean delete;
        final long createdAt = System.currentTimeMillis();
        int polls;
        String status = "new";
        final List<String[]> errors = new ArrayList<>();

        Bulk(String id, List<String> ids) {
            this.id = id;
            this.ids = ids;
        }
    }

    FakePortal(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Error report links point at another host (127.0.0.2), as a portal keeping reports in a storage service. */
    synchronized void reportsElsewhere() throws IOException {
        if (reportServer == null) {
            reportServer = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
            reportServer.setExecutor(Executors.newCachedThreadPool());
            reportServer.createContext("/", exchange -> {
                try (exchange) {
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    reportHostAuthorizations.add(authorization == null ? "" : authorization);
                    String path = exchange.getRequestURI().getPath();
                    report(exchange, path.split("/")[2]);
                }
            });
            reportServer.start();
        }
    }

    private String reportBase() {
        HttpServer host = reportServer;
        return host == null || redirectReports ? url() : "http://127.0.0.2:" + host.getAddress().getPort();
    }

    /** The portal's report links answer 302 with the same report on the report host (127.0.0.2). */
    void redirectReportsElsewhere() throws IOException {
        reportsElsewhere();
        redirectReports = true;
    }

    /**
     * The error report of every bulk holding {@code id} answers {@code status} (with this
     * {@code Location} when not null) instead of the report, until {@link #healReports()}.
     */
    void failReport(String id, int status, String location) {
        reportFaults.put(id, new String[] {String.valueOf(status), location});
    }

    void healReports() {
        reportFaults.clear();
    }



    /** The portal refuses {@code id} in its error report with this code/type instead of creating it. */
    void refuse(String id, String code, String type, String message) {
        refusals.put(id, new String[] {code, type, message});
    }

    /** The portal loses every bulk it holds (status polls answer 404 from now on). */
    void forgetBulks() {
        bulks.clear();
    }

    void reportLag(int downloads) {
        this.reportLag = downloads;
    }

    /** Three quarters of the calls fail (see {@link #stormFault}); the first bulk created gets its answer dropped. */
    void storm(double share) {
        this.faultShare = share;
        this.storm = share > 0;
        this.dropAfterCreateOnce = share > 0;
    }

    void tooManyRequests(int first, String retryAfter) {
        this.tooManyFirst.set(first);
        this.retryAfter = retryAfter;
    }

    List<Long> uploadTimes() {
        return uploadTimes;
    }

    int maxSendsPerId() {
        return sendsPerId.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    void failShare(double share, long timeoutMillis) {
        this.faultShare = share;
        this.timeoutMillis = timeoutMillis;
    }

    void maxBytes(long bytes) {
        this.maxBytes = bytes;
    }

    void processingPolls(int polls) {
        this.processingPolls = polls;
    }

    /** Marks ids as claimed by someone else already (they come back as duplicates). */
    void preclaim(String... ids) {
        for (String id : ids) {
            claims.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** How often each id was claimed (enrolled) by an upload. */
    Map<String, AtomicInteger> claims() {
        return claims;
    }

    int bulkCount() {
        return bulks.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                answer(exchange, 401, "application/json", "{\"code\":401,\"type\":\"unauthorized\"}");
                return;
            }
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            boolean isUpload = "POST".equals(exchange.getRequestMethod()) && path.equals("/v3/device-enrollments-bulk-uploads");
            if (isUpload && tooManyFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                uploadTimes.add(System.currentTimeMillis());
                countSent(exchange);
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                answer(exchange, 429, "application/json", "{\"code\":429,\"type\":\"too_many_requests\"}");
                return;
            }
            if (faultShare > 0 && nextDouble() < faultShare) {
                if (isUpload) {
                    countSent(exchange);
                }
                if (storm) {
                    stormFault(exchange);
                } else {
                    fault(exchange);
                }
                return;
            }
            if (isUpload) {
                uploadTimes.add(System.currentTimeMillis());
                upload(exchange);
            } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/v3/device-enrollments-bulk-deletes")) {
                bulkDelete(exchange);
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/v3/device-enrollments-bulk-deletes/")) {
                Bulk bulk = bulks.get(path.substring(path.lastIndexOf('/') + 1));
                poll(exchange, bulk != null && bulk.delete ? bulk.id : "-");
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/v3/device-enrollments-bulk-uploads/")) {
                poll(exchange, path.substring(path.lastIndexOf('/') + 1));
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/reports/")) {
                report(exchange, path.split("/")[2]);
            } else {
                answer(exchange, 404, "application/json", "{\"code\":404,\"type\":\"not_found\"}");
            }
        }
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    /** Counts the ids of an upload request that is answered with a fault (the body is read here). */
    private void countSent(HttpExchange exchange) throws IOException {
        String file = csvField(exchange, exchange.getRequestBody().readAllBytes());
        if (file != null) {
            for (String id : ids(file)) {
                idsReceived.incrementAndGet();
                sendsPerId.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
        }
    }

    private void stormFault(HttpExchange exchange) throws IOException {
        faults.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        int kind = (int) (nextDouble() * 5);
        switch (kind) {
            case 0 -> {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                answer(exchange, 429, "application/json", "{\"code\":429,\"type\":\"too_many_requests\"}");
            }
            case 1 -> answer(exchange, 500, "application/json", "{\"code\":500,\"type\":\"internal_server_error\"}");
            case 2 -> answer(exchange, 502, "text/html", "<html>bad gateway</html>");
            case 3 -> {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
                answer(exchange, 503, "application/json", "{\"code\":503,\"type\":\"service_unavailable\"}");
            }
            default -> exchange.close(); // the connection drops without an answer
        }
    }

    private void fault(HttpExchange exchange) throws IOException {
        faults.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        int kind = (int) (nextDouble() * 3);
        if (kind == 0) {
            answer(exchange, 500, "application/json", "{\"code\":500,\"type\":\"internal_server_error\"}");
        } else if (kind == 1) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            answer(exchange, 429, "application/json", "{\"code\":429,\"type\":\"too_many_requests\"}");
        } else {
            try {
                Thread.sleep(timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 504, "application/json", "{\"code\":504,\"type\":\"gateway_timeout\"}");
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        String contentLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (contentLength != null && Long.parseLong(contentLength) > maxBytes + 4096) {
            answer(exchange, 413, "application/json", "{\"code\":413,\"type\":\"payload_too_large\"}");
            return;
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        String counted = csvField(exchange, body);
        if (counted != null) {
            for (String id : ids(counted)) {
                idsReceived.incrementAndGet();
                sendsPerId.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
        if (contentType == null || !contentType.startsWith("multipart/form-data") || !boundary.find()) {
            answer(exchange, 400, "application/json", "{\"code\":400,\"type\":\"validation_error\",\"message\":\"multipart expected\"}");
            return;
        }
        String file = field(new String(body, StandardCharsets.ISO_8859_1), boundary.group(1), "enrollment_identities");
        if (file == null) {
            answer(exchange, 400, "application/json", "{\"code\":400,\"type\":\"validation_error\",\"message\":\"enrollment_identities missing\"}");
            return;
        }
        byte[] csv = file.getBytes(StandardCharsets.ISO_8859_1);
        if (csv.length > maxBytes) {
            answer(exchange, 413, "application/json", "{\"code\":413,\"type\":\"payload_too_large\"}");
            return;
        }
        uploads.incrementAndGet();
        String id = String.format("%032x", bulkNumber.incrementAndGet());
        Bulk bulk = new Bulk(id, ids(new String(csv, StandardCharsets.UTF_8)));
        bulks.put(id, bulk);
        idsInBulks.addAndGet(bulk.ids.size());
        if (dropAfterCreateOnce) {
            dropAfterCreateOnce = false;
            exchange.close(); // the bulk exists, but its answer is lost
            return;
        }
        answer(exchange, 201, "application/json", json(bulk));
    }

    private static String csvField(HttpExchange exchange, byte[] body) {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
        if (!boundary.find()) {
            return null;
        }
        String file = field(new String(body, StandardCharsets.ISO_8859_1), boundary.group(1), "enrollment_identities");
        return file == null ? null : new String(file.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** SPEC §5 CSV rules: first line a header, first comma value per line, blank lines ignored, LF/CR/CRLF. */
    static List<String> ids(String csv) {
        List<String> ids = new ArrayList<>();
        String[] lines = csv.split("\r\n|\r|\n", -1);
        for (int i = 1; i < lines.length; i++) {
            String id = lines[i].split(",", -1)[0].trim();
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static String field(String body, String boundary, String name) {
        for (String part : body.split("--" + Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headersEnd);
            if (headers.contains("name=\"" + name + "\"")) {
                String content = part.substring(headersEnd + 4);
                return content.endsWith("\r\n") ? content.substring(0, content.length() - 2) : content;
            }
        }
        return null;
    }

    private void poll(HttpExchange exchange, String id) throws IOException {
        Bulk bulk = bulks.get(id);
        if (bulk == null) {
            answer(exchange, 404, "application/json", "{\"code\":404,\"type\":\"not_found\"}");
            return;
        }
        synchronized (bulk) {
            bulk.polls++;
            if ("new".equals(bulk.status)) {
                bulk.status = "processing";
            } else if ("processing".equals(bulk.status) && bulk.polls > processingPolls) {
                process(bulk);
                bulk.status = "completed";
            }
            answer(exchange, 200, "application/json", json(bulk));
        }
    }

    private void process(Bulk bulk) {
        if (bulk.delete) {
            processDelete(bulk);
            return;
        }
        for (String id : bulk.ids) {
            if (!ENROLLMENT_ID.matcher(id).matches()) {
                bulk.errors.add(new String[] {id, "400", "invalid", "not an enrollment identity", "enrollment_identity"});
                continue;
            }
            String[] refusal = refusals.get(id);
            if (refusal != null) {
                bulk.errors.add(new String[] {id, refusal[0], refusal[1], refusal[2], "enrollment_identity"});
                continue;
            }
            AtomicInteger count = claims.computeIfAbsent(id, k -> new AtomicInteger());
            synchronized (count) {
                if (count.get() > 0) {
                    bulk.errors.add(new String[] {id, "409", "duplicate", "Enrollment identity already claimed", "enrollment_identity"});
                } else {
                    count.incrementAndGet();
                }
            }
        }
    }

    /**
     * A bulk delete: each id the portal holds is deleted; one it does not hold is reported
     * {@code 404 not_found} in the error report (the public API documents no code for it: this is
     * the test portal's choice, docs/exports.md); a refused one with its refusal.
     */
    private void processDelete(Bulk bulk) {
        for (String id : bulk.ids) {
            String[] refusal = deleteRefusals.get(id);
            if (refusal != null) {
                bulk.errors.add(new String[] {id, refusal[0], refusal[1], refusal[2], "enrollment_identity"});
                continue;
            }
            AtomicInteger count = claims.get(id);
            boolean held = false;
            if (count != null) {
                synchronized (count) {
                    held = count.get() > 0;
                    count.set(0);
                }
            }
            if (held) {
                deletions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            } else {
                bulk.errors.add(new String[] {id, "404", "not_found", "Enrollment identity not found", "enrollment_identity"});
            }
        }
    }

    /** POST /v3/device-enrollments-bulk-deletes: the same multipart CSV and limits as an upload. */
    private void bulkDelete(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String file = csvField(exchange, body);
        if (file != null) {
            ids(file).forEach(id -> deleteSends.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        }
        if (deletePostStatus > 0) {
            answer(exchange, deletePostStatus, "application/json", "{\"code\":" + deletePostStatus + ",\"type\":\"internal_server_error\"}");
            return;
        }
        if (file == null) {
            answer(exchange, 400, "application/json", "{\"code\":400,\"type\":\"validation_error\",\"message\":\"enrollment_identities missing\"}");
            return;
        }
        if (file.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            answer(exchange, 413, "application/json", "{\"code\":413,\"type\":\"payload_too_large\"}");
            return;
        }
        deleteBulks.incrementAndGet();
        String id = String.format("%032x", bulkNumber.incrementAndGet());
        Bulk bulk = new Bulk(id, ids(file));
        bulk.delete = true;
        bulks.put(id, bulk);
        if (dropDeleteAnswerOnce) {
            dropDeleteAnswerOnce = false;
            synchronized (bulk) {
                processDelete(bulk); // the portal works on it although pep never learns its id
                bulk.status = "completed";
            }
            exchange.close();
            return;
        }
        answer(exchange, 201, "application/json", json(bulk));
    }

    void dropDeleteAnswerOnce() {
        dropDeleteAnswerOnce = true;
    }

    /** Whether the portal holds {@code id} (enrolled and not deleted). */
    boolean holds(String id) {
        AtomicInteger count = claims.get(id);
        return count != null && count.get() > 0;
    }

    /** How often {@code id} was deleted (the portal held it when a bulk delete was processed). */
    int deletions(String id) {
        AtomicInteger count = deletions.get(id);
        return count == null ? 0 : count.get();
    }

    /** How often {@code id} was in a bulk delete request that reached the portal. */
    int deleteSends(String id) {
        AtomicInteger count = deleteSends.get(id);
        return count == null ? 0 : count.get();
    }

    int deleteSendsTotal() {
        return deleteSends.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Bulk deletes report {@code id} with this error instead of deleting it, until {@link #healDeletes()}. */
    void refuseDelete(String id, String code, String type, String message) {
        deleteRefusals.put(id, new String[] {code, type, message});
    }

    /** Every bulk delete request is answered with {@code status} (0: served), before anything is deleted. */
    void failDeletePosts(int status) {
        this.deletePostStatus = status;
    }

    void healDeletes() {
        deleteRefusals.clear();
        deletePostStatus = 0;
    }

    private void report(HttpExchange exchange, String id) throws IOException {
        Bulk faulty = bulks.get(id);
        String[] fault = faulty == null ? null : faulty.ids.stream().map(reportFaults::get).filter(f -> f != null).findFirst().orElse(null);
        if (fault != null) {
            if (fault[1] != null) {
                exchange.getResponseHeaders().add("Location", fault[1]);
            }
            answer(exchange, Integer.parseInt(fault[0]), "text/html", "<html>no report here</html>");
            return;
        }
        if (redirectReports && exchange.getLocalAddress().getAddress().getHostAddress().equals("127.0.0.1")) {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.2:" + reportServer.getAddress().getPort()
                    + exchange.getRequestURI().getPath());
            answer(exchange, 302, "text/html", "<html>moved</html>");
            return;
        }
        Bulk bulk = bulks.get(id);
        if (bulk == null) {
            answer(exchange, 404, "text/plain", "no such report");
            return;
        }
        StringBuilder csv = new StringBuilder("entity__id,error__code,error__type,error__message,error__fields\r\n");
        if (reportDownloads.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() <= reportLag) {
            answer(exchange, 200, "text/csv", csv.toString()); // not ready yet: the header line only
            return;
        }
        synchronized (bulk) {
            for (String[] row : bulk.errors) {
                // quoted as RFC 4180 asks (a message may hold a comma or a quote)
                csv.append(org.apache.commons.csv.CSVFormat.RFC4180.format((Object[]) row)).append("\r\n");
            }
        }
        answer(exchange, 200, "text/csv", csv.toString());
    }

    private String json(Bulk bulk) {
        boolean done = "completed".equals(bulk.status);
        return "{\"object\":\"" + (bulk.delete ? "enrollment-identity-bulk-deletes" : "enrollment-identity-bulk-uploads") + "\",\"id\":\"" + bulk.id + "\",\"account_id\":\"acc1\","
                + "\"created_at\":\"" + bulk.createdAt + "\",\"completed_at\":" + (done ? "\"now\"" : "null")
                + ",\"status\":\"" + bulk.status + "\",\"total_count\":" + bulk.ids.size()
                + ",\"processed_count\":" + (done ? bulk.ids.size() : 0) + ",\"errors_count\":" + (done ? bulk.errors.size() : 0)
                + ",\"full_report_file\":" + (done ? "\"" + url() + "/reports/" + bulk.id + "/full.csv\"" : "null")
                + ",\"errors_report_file\":" + (done ? "\"" + reportBase() + "/reports/" + bulk.id + "/errors.csv\"" : "null")
                + ",\"etag\":\"1\"}";
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (timeout fault): nothing to answer to
        }
    }

    Set<String> claimedOnce() {
        Set<String> once = ConcurrentHashMap.newKeySet();
        claims.forEach((id, n) -> {
            if (n.get() == 1) {
                once.add(id);
            }
        });
        return once;
    }

    @Override
    public void close() {
        server.stop(0);
        if (reportServer != null) {
            reportServer.stop(0);
        }
    }

    static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
