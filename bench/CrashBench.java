import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash and outage benchmark for pep (bench/crash.sh runs it with Java's source launcher on the
 * fat jar's class path). Not a test: it asserts nothing, it prints tables.
 *
 * crash:  N rounds of: start pep (java -jar target/pep.jar, one data folder for all rounds),
 *         closed-loop clients provisioning unique serials through a stub factory tool that
 *         sleeps a random short time, SIGKILL pep at a random moment, start it again, then
 *         check every acknowledged (200) serial is still recorded with the same enrollment id,
 *         and retry every serial whose request got no answer until it is provisionable.
 * outage: pep on an external store (mongo-java-server + H2 in a JVM of its own), clients under
 *         load, the store stopped for --outage seconds and started again; then every 200 must be
 *         recorded; those answered "record pending" must have come back from pep's journal.
 *
 * Usage: java -cp target/pep.jar bench/CrashBench.java [crash|outage|both] [--rounds=20]
 *        [--clients=4] [--outage=30] [--store=embedded|external] [--work=DIR]
 *        java -cp target/pep.jar bench/CrashBench.java store DIR PORT   (the store JVM)
 */
public final class CrashBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Random RANDOM = new Random();

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("store")) {
            runStore(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Map<String, String> options = new ConcurrentHashMap<>();
        String mode = "both";
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            } else {
                mode = arg;
            }
        }
        // interrupted (Ctrl-C, SIGTERM): leave no pep or store JVM behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroyForcibly)));
        Path work = options.containsKey("work") ? Path.of(options.get("work")) : Files.createTempDirectory("pep-crash-bench");
        Files.createDirectories(work);
        System.out.printf("work folder %s; load average before: %s%n", work, loadAverage());
        if (!mode.equals("outage")) {
            crash(work.resolve("crash"), Integer.parseInt(options.getOrDefault("rounds", "20")),
                    Integer.parseInt(options.getOrDefault("clients", "4")), options.getOrDefault("store", "embedded"));
        }
        if (!mode.equals("crash")) {
            outage(work.resolve("outage"), Integer.parseInt(options.getOrDefault("clients", "4")),
                    Integer.parseInt(options.getOrDefault("outage", "30")));
        }
        System.out.printf("load average after: %s (other builds share this machine: times are upper bounds)%n",
                loadAverage());
    }

    // ---------------------------------------------------------------- crash rounds

    private static void crash(Path work, int rounds, int clients, String storeKind) throws Exception {
        Path data = work.resolve("data");
        Path pids = work.resolve("tool-pids");
        Files.createDirectories(pids);
        Path tool = stubTool(work, pids, 1500);
        int port = freePort();
        Store store = storeKind.equals("external") ? Store.start(work.resolve("store")) : null;
        Map<String, String> env = pepEnvironment(work, data, port, tool);
        if (store != null) {
            env.put("MONGO_URI", store.uri());
        }
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Double> provisionableAfterUp = Collections.synchronizedList(new ArrayList<>());
        List<Double> restartTimes = new ArrayList<>();
        int inFlightAtKill = 0;
        RetryOutcome outcome = new RetryOutcome(provisionableAfterUp);
        int orphans = 0;
        int lost = 0;
        int requests = 0;
        AtomicInteger serials = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);

        Pep pep = Pep.start(work, env, port, 0);
        for (int round = 1; round <= rounds; round++) {
            Load load = new Load(pep.port, clients, () -> "CR-" + run + "-" + serials.incrementAndGet());
            Thread.sleep(200 + RANDOM.nextInt(2500));
            pep.kill();
            load.stop();
            requests += load.sent.get();
            acknowledged.putAll(load.acknowledged);
            List<String> unanswered = new ArrayList<>(load.unanswered);
            inFlightAtKill += unanswered.size();

            long killedAt = System.nanoTime();
            pep = Pep.start(work, env, port, round);
            restartTimes.add((System.nanoTime() - killedAt) / 1e9);
            long upAt = System.nanoTime();
            orphans += liveToolProcesses(pids);

            // every acknowledged serial still recorded with the enrollment id the client got
            for (Map.Entry<String, String> ack : load.acknowledged.entrySet()) {
                HttpResponse<String> lookup = get(pep.port, "/v3/enrollment-id?serialNumber=" + encode(ack.getKey()));
                if (lookup.statusCode() != 200 || !lookup.body().strip().equals(ack.getValue())) {
                    lost++;
                    System.out.printf("  round %d: acknowledged %s then lost (%d %s)%n", round, ack.getKey(),
                            lookup.statusCode(), lookup.body().strip());
                }
            }
            // every serial whose request was cut short: retried (all at once, like their gateways
            // would) until provisionable, or found recorded
            final int roundNumber = round;
            final Pep current = pep;
            List<Thread> retries = new ArrayList<>();
            for (String serial : unanswered) {
                Thread thread = new Thread(() -> {
                    try {
                        retryUntilProvisionable(current, serial, upAt, roundNumber, outcome);
                    } catch (Exception e) {
                        outcome.stuck.incrementAndGet();
                        System.out.printf("  round %d: %s retry failed: %s%n", roundNumber, serial, e);
                    }
                });
                thread.start();
                retries.add(thread);
            }
            for (Thread retry : retries) {
                retry.join();
            }
            System.out.printf("  round %2d: %3d answered 200, %d cut short by the kill, restart %.1f s%n", round,
                    load.acknowledged.size(), unanswered.size(), restartTimes.get(restartTimes.size() - 1));
        }
        pep.stop();
        if (store != null) {
            store.stop();
        }
        System.out.printf("%n### kill -9 of pep mid-provisioning (%d rounds, %d clients, %s store, stub tool 0–1.5 s)%n%n",
                rounds, clients, storeKind);
        System.out.println("| rounds | requests | acknowledged (200) | acknowledged-then-lost | cut short by the kill"
                + " | of which recorded anyway | stuck > 30 s | provisionable after restart p50 / max (s) | restart p50 (s)"
                + " | orphan tool processes |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|");
        System.out.printf("| %d | %d | %d | %d | %d | %d | %d | %s / %s | %.1f | %d |%n", rounds, requests,
                acknowledged.size(), lost, inFlightAtKill, outcome.recorded.get(), outcome.stuck.get(),
                seconds(percentile(provisionableAfterUp, 50)), seconds(percentile(provisionableAfterUp, 100)),
                percentile(restartTimes, 50), orphans);
        System.out.printf("(409 answers seen while retrying: %d)%n", outcome.conflicts.get());
    }

    private record RetryOutcome(List<Double> provisionable, AtomicInteger recorded, AtomicInteger stuck,
                                AtomicInteger conflicts) {
        RetryOutcome(List<Double> provisionable) {
            this(provisionable, new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
        }
    }

    private static void retryUntilProvisionable(Pep pep, String serial, long upAt, int round, RetryOutcome outcome)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> retry = get(pep.port, provisionPath(serial));
            if (retry.statusCode() == 200) {
                outcome.provisionable.add((System.nanoTime() - upAt) / 1e9);
                return;
            }
            if (retry.statusCode() == 409) {
                if (get(pep.port, "/v3/enrollment-id?serialNumber=" + encode(serial)).statusCode() == 200) {
                    outcome.recorded.incrementAndGet(); // injected and recorded before the kill: not stuck
                    return;
                }
                outcome.conflicts.incrementAndGet();
            }
            if (System.nanoTime() > deadline) {
                outcome.stuck.incrementAndGet();
                System.out.printf("  round %d: %s still %d after 30 s: %s%n", round, serial, retry.statusCode(),
                        retry.body().strip());
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Tool processes (stub) still running once the restarted pep answers: they outlived their pep. */
    private static int liveToolProcesses(Path pids) throws IOException {
        int live = 0;
        try (var files = Files.list(pids)) {
            for (Path file : files.toList()) {
                long pid = Long.parseLong(file.getFileName().toString());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    live++;
                }
                Files.deleteIfExists(file);
            }
        }
        return live;
    }

    // ---------------------------------------------------------------- store outage

    private static void outage(Path work, int clients, int outageSeconds) throws Exception {
        Path data = work.resolve("data");
        Path pids = work.resolve("tool-pids");
        Files.createDirectories(pids);
        Path tool = stubTool(work, pids, 300);
        int port = freePort();
        Store store = Store.start(work.resolve("store"));
        Map<String, String> env = pepEnvironment(work, data, port, tool);
        env.put("MONGO_URI", store.uri());
        Pep pep = Pep.start(work, env, port, 0);
        AtomicInteger serials = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);
        Load load = new Load(pep.port, clients, () -> "OU-" + run + "-" + serials.incrementAndGet());
        Thread.sleep(3000);
        store.stop();
        System.out.printf("  store stopped for %d s under load%n", outageSeconds);
        Thread.sleep(outageSeconds * 1000L);
        store = Store.start(work.resolve("store"), store.port);
        System.out.println("  store back");
        Thread.sleep(10_000);
        load.stop();

        // give the journal replay (heartbeat) time to record what was pending
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int lost;
        int recoveredFromJournal;
        do {
            lost = 0;
            recoveredFromJournal = 0;
            for (Map.Entry<String, String> ack : load.acknowledged.entrySet()) {
                HttpResponse<String> lookup = get(pep.port, "/v3/enrollment-id?serialNumber=" + encode(ack.getKey()));
                boolean recorded = lookup.statusCode() == 200 && lookup.body().strip().equals(ack.getValue());
                if (!recorded) {
                    lost++;
                } else if (load.pending.contains(ack.getKey())) {
                    recoveredFromJournal++;
                }
            }
            if (lost == 0) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        pep.stop();
        store.stop();
        System.out.printf("%n### external store down %d s under load (%d clients, stub tool 0–0.3 s)%n%n", outageSeconds,
                clients);
        System.out.println("| requests | acknowledged (200) | of which record pending (injected, store down) "
                + "| recovered from the journal | acknowledged-then-lost | 503 | other |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf("| %d | %d | %d | %d | %d | %d | %d |%n", load.sent.get(), load.acknowledged.size(),
                load.pending.size(), recoveredFromJournal, lost, load.unavailable.get(), load.other.get());
        load.otherAnswers.forEach((answer, count) -> System.out.printf("  other: %d × %s%n", count.get(), answer));
    }

    // ---------------------------------------------------------------- load

    /** Closed-loop clients, each provisioning a new serial per request. */
    private static final class Load {
        final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        final List<String> unanswered = Collections.synchronizedList(new ArrayList<>());
        final java.util.Set<String> pending = ConcurrentHashMap.newKeySet();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        final Map<String, AtomicInteger> otherAnswers = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;

        Load(int port, int count, java.util.function.Supplier<String> serials) {
            clients = Executors.newFixedThreadPool(count);
            for (int i = 0; i < count; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        String serial = serials.get();
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> response = get(port, provisionPath(serial));
                            if (response.statusCode() == 200) {
                                acknowledged.put(serial, field(response.body(), "enrollmentID"));
                                if (response.headers().firstValue("X-Pep-Record").isPresent()) {
                                    pending.add(serial);
                                }
                            } else if (response.statusCode() == 503) {
                                unavailable.incrementAndGet();
                                Thread.sleep(200);
                            } else {
                                other.incrementAndGet();
                                String firstLine = response.body().strip().split("\n", 2)[0];
                                otherAnswers.computeIfAbsent(response.statusCode() + " "
                                        + firstLine.substring(0, Math.min(90, firstLine.length())),
                                        k -> new AtomicInteger()).incrementAndGet();
                            }
                        } catch (IOException e) {
                            if (e instanceof java.net.ConnectException) {
                                sent.decrementAndGet(); // pep is gone already: never sent
                            } else {
                                unanswered.add(serial); // pep died before answering
                            }
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException interrupted) {
                                return;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            clients.shutdown();
            clients.awaitTermination(90, TimeUnit.SECONDS);
        }
    }

    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return "";
        }
        int from = at + name.length() + 4;
        return json.substring(from, json.indexOf('"', from));
    }

    // ---------------------------------------------------------------- processes

    /** pep as an operator runs it: java -jar target/pep.jar, settings in the environment. */
    private static final class Pep {
        final Process process;
        final int port;

        private Pep(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Pep start(Path work, Map<String, String> env, int port, int generation) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(javaCommand("-jar", Path.of("target/pep.jar").toAbsolutePath().toString()))
                    .directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("pep.log").toFile()));
            builder.environment().putAll(env);
            Pep pep = new Pep(builder.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                if (!pep.process.isAlive()) {
                    throw new IllegalStateException("pep exited (generation " + generation + "); see " + work.resolve("pep.log"));
                }
                try {
                    // pep's own 404 text: the routes are up, not only the HTTP server
                    if (get(port, "/v3/enrollment-id?serialNumber=probe").body().startsWith("Not found!")) {
                        return pep;
                    }
                    Thread.sleep(20);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("pep did not answer within 90 s; see " + work.resolve("pep.log"));
                    }
                    Thread.sleep(20);
                }
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** A MongoDB (mongo-java-server, H2 file) in a JVM of its own, stopped with SIGTERM (it closes its file). */
    private static final class Store {
        final Process process;
        final int port;

        private Store(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Store start(Path dir) throws Exception {
            return start(dir, freePort());
        }

        static Store start(Path dir, int port) throws Exception {
            Files.createDirectories(dir);
            Path source = Path.of("bench/CrashBench.java").toAbsolutePath();
            ProcessBuilder builder = new ProcessBuilder(javaCommand("-cp", Path.of("target/pep.jar").toAbsolutePath().toString(),
                    source.toString(), "store", dir.toString(), String.valueOf(port)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("store.log").toFile()));
            Store store = new Store(builder.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return store;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new IllegalStateException("the store did not start; see " + dir.resolve("store.log"));
        }

        String uri() {
            return "mongodb://127.0.0.1:" + port + "/mbed_manufacturing_db";
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The store JVM: pep's own embedded store class on a fixed port, closed on SIGTERM. */
    private static void runStore(Path dir, int port) throws Exception {
        Class<?> embedded = Class.forName("io.pep.store.EmbeddedMongo");
        AutoCloseable store = (AutoCloseable) embedded.getMethod("start", Path.class, int.class).invoke(null, dir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                store.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        Thread.currentThread().join();
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String options = System.getenv("BENCH_PEP_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(List.of(options.trim().split("\\s+")));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static Map<String, String> pepEnvironment(Path work, Path data, int port, Path tool) throws IOException {
        Files.createDirectories(work.resolve("routes"));
        Map<String, String> env = new ConcurrentHashMap<>();
        env.put("PEP_SERVER_HOST", "127.0.0.1");
        env.put("PEP_SERVER_PORT", String.valueOf(port));
        env.put("PEP_DATA_DIR", data.toString());
        env.put("PEP_ROUTES_DIR", work.resolve("routes").toString());
        env.put("PEP_ROUTES_RELOAD_ENABLED", "false");
        env.put("PEP_CONFIG_FILE", work.resolve("no-such.properties").toString());
        env.put("PEP_TOOL_EXECUTABLE", tool.toString());
        env.put("PEP_TOOL_ENV", "LC_ALL=C.UTF-8");
        env.put("PEP_MONGO_TIMEOUT_MS", "1000");
        env.put("PEP_MONGO_WRITE_RETRIES", "2");
        env.put("PEP_MONGO_WRITE_RETRY_DELAY", "200");
        env.put("CAMEL_MAIN_SHUTDOWN_TIMEOUT", "5");
        return env;
    }

    /** sleeps 0–maxMs, prints the enrollment id fake-ft-demo prints; records its pid while it runs. */
    private static Path stubTool(Path work, Path pids, int maxMs) throws IOException {
        Path tool = work.resolve("stub-tool");
        Files.writeString(tool, """
                #!/usr/bin/env bash
                serial=""
                for arg in "$@"; do case "$arg" in --serial-number=*) serial=${arg#--serial-number=} ;; esac; done
                echo $$ > "%s/$$"
                sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%%.3f", r / 32767 * %d / 1000 }')"
                hex=$(printf '%%s' "$serial" | sha256sum | cut -c1-64 | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')
                echo "enrollment id: A-$hex"
                rm -f "%s/$$"
                """.formatted(pids, maxMs, pids));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        return tool;
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> get(int port, String pathAndQuery) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String provisionPath(String serial) {
        return "/v3/identity?ip=127.0.0.1&port=7777&serialNumber=" + encode(serial);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static double percentile(List<Double> values, int percentile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String seconds(double value) {
        return Double.isNaN(value) ? "–" : String.format("%.2f", value);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
