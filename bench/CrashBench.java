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
 * crash:  N rounds of: start pep (bin/pep on target/pep.jar, one data folder for all rounds),
 *         closed-loop clients provisioning unique serials through a slow stub factory tool,
 *         SIGKILL pep once --kill-in-flight tool runs are under way at once, start it again, then
 *         check every acknowledged (200) serial is still recorded with the same enrollment id,
 *         retry every serial whose request got no answer until it is provisionable (seconds from
 *         the kill), and count the stub's processes still alive after a live pep would have ended
 *         them (the kill + tool timeout + kill grace + 2 s).
 *         Self-checks of the table: --stub=escape (every tool run leaves a detached grandchild:
 *         the orphan column counts them) and --sabotage=wipe-data (the data folder is deleted
 *         after each kill: every acknowledged serial of the round counts as lost).
 * outage: pep on an external store (mongo-java-server + H2 in a JVM of its own), clients under
 *         load, the store stopped for --outage seconds and started again; then every 200 must be
 *         recorded; those answered "record pending" must have come back from pep's journal.
 *
 * Usage: java -cp target/pep.jar bench/CrashBench.java [crash|outage|both] [--rounds=20]
 *        [--clients=12] [--kill-in-flight=8] [--tool-ms=1000-4000] [--tool-timeout-ms=10000]
 *        [--stuck-after=30] [--start-limit=300] [--stub=plain|escape] [--sabotage=none|wipe-data]
 *        [--outage=30] [--store=embedded|external] [--work=DIR]
 *        java -cp target/pep.jar bench/CrashBench.java store DIR PORT   (the store JVM)
 */
public final class CrashBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long a (re)start of pep may take before the run stops (and prints what it has): --start-limit. */
    private static int startLimitSeconds;
    /** The seconds a detached grandchild of the stub (--stub=escape) sleeps: how the bench recognises it. */
    private static final int ESCAPED_SLEEP_SECONDS = 1000;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("store")) {
            runStore(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Map<String, String> options = new ConcurrentHashMap<>();
        startLimitSeconds = Integer.parseInt(System.getenv().getOrDefault("BENCH_START_LIMIT", "300"));
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
        if (options.containsKey("start-limit")) {
            startLimitSeconds = Integer.parseInt(options.get("start-limit"));
        }
        if (!mode.equals("outage")) {
            crash(work.resolve("crash"), CrashOptions.of(options));
        }
        if (!mode.equals("crash")) {
            outage(work.resolve("outage"), Integer.parseInt(options.getOrDefault("clients", "4")),
                    Integer.parseInt(options.getOrDefault("outage", "30")));
        }
        System.out.printf("load average after: %s (other builds share this machine: times are upper bounds)%n",
                loadAverage());
    }

    // ---------------------------------------------------------------- crash rounds

    /** What one run of crash rounds is told: see the class comment and bench/README.md. */
    private record CrashOptions(int rounds, int clients, String storeKind, int killInFlight, int toolMinMs, int toolMaxMs,
                                int toolTimeoutMs, int stuckAfterSeconds, String stubMode, String sabotage) {
        static CrashOptions of(Map<String, String> options) {
            String[] toolMs = options.getOrDefault("tool-ms", "1000-4000").split("-");
            return new CrashOptions(Integer.parseInt(options.getOrDefault("rounds", "20")),
                    Integer.parseInt(options.getOrDefault("clients", "12")), options.getOrDefault("store", "embedded"),
                    Integer.parseInt(options.getOrDefault("kill-in-flight", "8")),
                    Integer.parseInt(toolMs[0]), Integer.parseInt(toolMs[toolMs.length - 1]),
                    Integer.parseInt(options.getOrDefault("tool-timeout-ms", "10000")),
                    Integer.parseInt(options.getOrDefault("stuck-after", "30")),
                    options.getOrDefault("stub", "plain"), options.getOrDefault("sabotage", "none"));
        }
    }

    private static void crash(Path work, CrashOptions o) throws Exception {
        Path data = work.resolve("data");
        Path tools = work.resolve("tool-pids");
        Path running = work.resolve("tool-running");
        Files.createDirectories(tools);
        Files.createDirectories(running);
        Path tool = stubTool(work, tools, running, o.toolMinMs(), o.toolMaxMs(), o.stubMode());
        int port = freePort();
        Store store = o.storeKind().equals("external") ? Store.start(work.resolve("store")) : null;
        Map<String, String> env = pepEnvironment(work, data, port, tool);
        env.put("PEP_TOOL_TIMEOUT", String.valueOf(o.toolTimeoutMs()));
        if (store != null) {
            env.put("MONGO_URI", store.uri());
        }
        // a tool run of a live pep ends at the latest at its timeout + kill grace (pep.tool.kill-grace, 2 s)
        long toolLifeNanos = TimeUnit.MILLISECONDS.toNanos(o.toolTimeoutMs() + 2000 + 2000);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Double> provisionableAfterKill = Collections.synchronizedList(new ArrayList<>());
        List<Double> answeringAfterKill = new ArrayList<>();
        List<Integer> inFlightAtKills = new ArrayList<>();
        RetryOutcome outcome = new RetryOutcome(provisionableAfterKill);
        int cutShort = 0;
        int orphans = 0;
        int lost = 0;
        int requests = 0;
        int roundsDone = 0;
        String stoppedEarly = null;
        AtomicInteger serials = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);

        Pep pep = Pep.start(work, env, port, 0);
        for (int round = 1; round <= o.rounds(); round++) {
            Load load = new Load(pep.port, o.clients(), () -> "CR-" + run + "-" + serials.incrementAndGet());
            // some answers first (the lost column needs acknowledged serials), then the kill while
            // requests are in the middle of their tool run: at least --kill-in-flight at once
            long answersBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (load.acknowledged.isEmpty() && System.nanoTime() < answersBy) {
                Thread.sleep(20);
            }
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(3000));
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (runningTools(running) < o.killInFlight() && System.nanoTime() < waitUntil) {
                Thread.sleep(5);
            }
            int toolsAtKill = runningTools(running);
            int inFlightAtKill = load.inFlight.get();
            load.killing();
            pep.kill();
            long killedAt = System.nanoTime();
            load.stop();
            inFlightAtKills.add(toolsAtKill);
            requests += load.sent.get();
            acknowledged.putAll(load.acknowledged);
            List<String> unanswered = new ArrayList<>(load.unanswered);
            cutShort += unanswered.size();
            if (o.sabotage().equals("wipe-data")) {
                deleteTree(data); // self-check of the table: every acknowledged serial must now count as lost
            }

            try {
                pep = Pep.start(work, env, port, round);
            } catch (StartTimeout e) {
                stoppedEarly = "round " + round + ": " + e.getMessage();
                break;
            }
            answeringAfterKill.add((System.nanoTime() - killedAt) / 1e9);

            // every acknowledged serial still recorded with the enrollment id the client got
            for (Map.Entry<String, String> ack : load.acknowledged.entrySet()) {
                HttpResponse<String> lookup = get(pep.port, "/v3/enrollment-id?serialNumber=" + encode(ack.getKey()));
                if (lookup.statusCode() != 200 || !lookup.body().strip().equals(ack.getValue())) {
                    lost++;
                    if (lost <= 5) {
                        System.out.printf("  round %d: acknowledged %s then lost (%d %s)%n", round, ack.getKey(),
                                lookup.statusCode(), lookup.body().strip());
                    }
                }
            }
            // every serial whose request was cut short: retried (all at once, like their gateways
            // would) until provisionable, or found recorded
            final int roundNumber = round;
            final Pep current = pep;
            final long upAt = System.nanoTime();
            List<Thread> retries = new ArrayList<>();
            for (String serial : unanswered) {
                Thread thread = new Thread(() -> {
                    try {
                        retryUntilProvisionable(current, serial, killedAt, upAt, o.stuckAfterSeconds(), roundNumber, outcome);
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
            // tool processes (and whatever they started) alive after a live pep would have ended them
            long checkAt = killedAt + toolLifeNanos;
            while (System.nanoTime() < checkAt) {
                Thread.sleep(50);
            }
            int roundOrphans = endOrphans(tools);
            orphans += roundOrphans;
            roundsDone = round;
            System.out.printf("  round %2d: %3d answered 200, %2d in flight at the kill (%d in the tool), %2d cut short,"
                    + " answering again %.1f s after the kill, %d orphan(s)%n", round, load.acknowledged.size(),
                    inFlightAtKill, toolsAtKill, unanswered.size(), answeringAfterKill.get(answeringAfterKill.size() - 1),
                    roundOrphans);
        }
        if (stoppedEarly == null) {
            pep.stop();
        }
        endOrphans(tools);
        if (store != null) {
            store.stop();
        }
        System.out.printf("%n### kill -9 of pep with requests in flight (%d of %d rounds, %d clients, %s store, stub tool"
                        + " %.1f–%.1f s%s%s)%n%n", roundsDone, o.rounds(), o.clients(), o.storeKind(), o.toolMinMs() / 1000.0,
                o.toolMaxMs() / 1000.0, o.stubMode().equals("plain") ? "" : ", stub " + o.stubMode(),
                o.sabotage().equals("none") ? "" : ", sabotage " + o.sabotage());
        System.out.println("| rounds | requests | acknowledged (200) | acknowledged-then-lost | tool runs under way at the kill, min / total"
                + " | cut short by the kill | of which recorded anyway | stuck > " + o.stuckAfterSeconds() + " s"
                + " | provisionable again after the kill p50 / max (s) | answering again after the kill p50 / max (s)"
                + " | orphan tool processes |");
        System.out.println("|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|");
        System.out.printf("| %d | %d | %d | %d | %s / %d | %d | %d | %d | %s / %s | %s / %s | %d |%n", roundsDone, requests,
                acknowledged.size(), lost, inFlightAtKills.isEmpty() ? "–" : Collections.min(inFlightAtKills),
                inFlightAtKills.stream().mapToInt(Integer::intValue).sum(), cutShort, outcome.recorded.get(),
                outcome.stuck.get(), seconds(percentile(provisionableAfterKill, 50)),
                seconds(percentile(provisionableAfterKill, 100)), seconds(percentile(answeringAfterKill, 50)),
                seconds(percentile(answeringAfterKill, 100)), orphans);
        System.out.printf("(409 answers seen while retrying: %d)%n", outcome.conflicts.get());
        if (stoppedEarly != null) {
            System.out.printf("STOPPED EARLY at %s; the table holds the rounds before it%n", stoppedEarly);
        }
    }

    private record RetryOutcome(List<Double> provisionable, AtomicInteger recorded, AtomicInteger stuck,
                                AtomicInteger conflicts) {
        RetryOutcome(List<Double> provisionable) {
            this(provisionable, new AtomicInteger(), new AtomicInteger(), new AtomicInteger());
        }
    }

    /** Retries until 200 (seconds counted from the kill) or found recorded; stuck after stuckAfter s of pep answering. */
    private static void retryUntilProvisionable(Pep pep, String serial, long killedAt, long upAt, int stuckAfterSeconds,
                                                int round, RetryOutcome outcome) throws Exception {
        long deadline = upAt + TimeUnit.SECONDS.toNanos(stuckAfterSeconds);
        while (true) {
            HttpResponse<String> retry = get(pep.port, provisionPath(serial));
            if (retry.statusCode() == 200) {
                outcome.provisionable.add((System.nanoTime() - killedAt) / 1e9);
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
                System.out.printf("  round %d: %s still %d after %d s: %s%n", round, serial, retry.statusCode(),
                        stuckAfterSeconds, retry.body().strip());
                return;
            }
            Thread.sleep(100);
        }
    }

    /** Stub tools running right now (their marker file is removed when they end; a killed one's pid is gone). */
    private static int runningTools(Path running) throws IOException {
        int live = 0;
        try (var files = Files.list(running)) {
            for (Path file : files.toList()) {
                if (isOurs(Long.parseLong(file.getFileName().toString()))) {
                    live++;
                }
            }
        }
        return live;
    }

    /**
     * Every process a stub tool recorded (itself, and in --stub=escape the grandchild it detached)
     * that still runs: counted as an orphan, then ended (SIGKILL, by pid, only processes this bench's
     * stubs started) so rounds do not add up. Files of ended processes are removed.
     */
    private static int endOrphans(Path tools) throws IOException {
        int orphans = 0;
        try (var files = Files.list(tools)) {
            for (Path file : files.toList()) {
                long pid = Long.parseLong(file.getFileName().toString());
                if (isOurs(pid)) {
                    orphans++;
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                Files.deleteIfExists(file);
            }
        }
        return orphans;
    }

    /** Alive and one of the stub's processes (bash running stub-tool, or its detached sleep), not a reused pid. */
    private static boolean isOurs(long pid) {
        try {
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            return cmdline.contains("stub-tool") || cmdline.contains("sleep " + ESCAPED_SLEEP_SECONDS);
        } catch (IOException gone) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    // ---------------------------------------------------------------- store outage

    private static void outage(Path work, int clients, int outageSeconds) throws Exception {
        Path data = work.resolve("data");
        Path pids = work.resolve("tool-pids");
        Files.createDirectories(pids);
        Path running = work.resolve("tool-running");
        Files.createDirectories(running);
        Path tool = stubTool(work, pids, running, 0, 300, "plain");
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
        /** Requests sent and not answered yet. */
        final AtomicInteger inFlight = new AtomicInteger();
        /** When pep was killed: a request sent before that and never answered was cut short by the kill. */
        private volatile long killedAt = Long.MAX_VALUE;
        final AtomicInteger unavailable = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        final Map<String, AtomicInteger> otherAnswers = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService clients;

        Load(int port, int count, java.util.function.Supplier<String> serials) {
            clients = Executors.newFixedThreadPool(count);
            for (int i = 0; i < count; i++) {
                clients.submit(() -> {
                    java.util.concurrent.atomic.AtomicLong sentAt = new java.util.concurrent.atomic.AtomicLong();
                    while (running.get()) {
                        String serial = serials.get();
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> response;
                            sentAt.set(System.nanoTime());
                            inFlight.incrementAndGet();
                            try {
                                response = get(port, provisionPath(serial));
                            } finally {
                                inFlight.decrementAndGet();
                            }
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
                            // not the exception's type: Java's client retries a GET whose connection closed
                            // under it, so a request cut short by the kill can end in a ConnectException
                            if (sentAt.get() < killedAt) {
                                unanswered.add(serial); // pep died before answering
                            } else {
                                sent.decrementAndGet(); // pep was gone already: never sent
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

        /** Called just before pep gets SIGKILL. */
        void killing() {
            killedAt = System.nanoTime();
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

    /** Thrown when pep does not answer within --start-limit seconds. */
    private static final class StartTimeout extends Exception {
        StartTimeout(String message) {
            super(message);
        }
    }

    /**
     * pep as an operator runs it: bin/pep (its JVM options, bin/lib/jvm.bash, and its start-up
     * cache) on the built target/pep.jar, settings in the environment. bin/pep execs the JVM, so
     * the process killed is pep's JVM itself.
     */
    private static final class Pep {
        final Process process;
        final int port;

        private Pep(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Pep start(Path work, Map<String, String> env, int port, int generation) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(Path.of("bin/pep").toAbsolutePath().toString())
                    .directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("pep.log").toFile()));
            builder.environment().putAll(env);
            builder.environment().put("PEP_JAR", Path.of("target/pep.jar").toAbsolutePath().toString());
            String javaOptions = System.getenv("BENCH_PEP_JAVA_OPTS");
            if (javaOptions != null && !javaOptions.isBlank()) {
                builder.environment().put("PEP_JAVA_OPTS", javaOptions);
            }
            Pep pep = new Pep(builder.start(), port);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startLimitSeconds);
            while (true) {
                if (!pep.process.isAlive()) {
                    throw new StartTimeout("pep exited (generation " + generation + "); see " + work.resolve("pep.log"));
                }
                try {
                    // pep's own 404 text: the routes are up, not only the HTTP server
                    if (get(port, "/v3/enrollment-id?serialNumber=probe").body().startsWith("Not found!")) {
                        return pep;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    pep.kill();
                    throw new StartTimeout("pep did not answer within " + startLimitSeconds + " s (--start-limit; load "
                            + loadAverage() + "); see " + work.resolve("pep.log"));
                }
                Thread.sleep(20);
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
        // the store JVM gets pep's own JVM options (crash.sh passes bin/lib/jvm.bash's)
        String options = System.getenv("BENCH_STORE_JAVA_OPTS");
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

    /**
     * The stand-in factory tool: sleeps minMs–maxMs, prints the enrollment id fake-ft-demo prints.
     * Each process it is records its pid in {@code pids} (kept: the bench checks later which
     * outlived their pep) and marks itself in {@code running} while it runs. {@code escape}: it also
     * leaves a detached grandchild ({@code setsid sleep 1000}, its own session, re-parented to PID 1
     * when the tool exits), the way a vendor tool's helper can escape; a pep that ends every process
     * of a tool run leaves none of them behind.
     */
    private static Path stubTool(Path work, Path pids, Path running, int minMs, int maxMs, String mode) throws IOException {
        Path tool = work.resolve("stub-tool");
        String escape = mode.equals("escape")
                ? "( setsid sleep %d </dev/null >/dev/null 2>&1 & echo $! > \"%s/$!\" )".formatted(ESCAPED_SLEEP_SECONDS, pids)
                : "";
        Files.writeString(tool, """
                #!/usr/bin/env bash
                serial=""
                for arg in "$@"; do case "$arg" in --serial-number=*) serial=${arg#--serial-number=} ;; esac; done
                echo tool > "%1$s/$$"
                : > "%2$s/$$"
                %3$s
                sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%%.3f", (%4$d + r / 32767 * %5$d) / 1000 }')"
                hex=$(printf '%%s' "$serial" | sha256sum | cut -c1-64 | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')
                rm -f "%2$s/$$"
                echo "enrollment id: A-$hex"
                """.formatted(pids, running, escape, minMs, maxMs - minMs));
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
