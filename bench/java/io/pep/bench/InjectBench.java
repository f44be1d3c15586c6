package io.pep.bench;

import io.pep.PepMain;
import io.pep.gateway.FccSimulator;
import io.pep.gateway.SimulatorSettings;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput and latency of {@code GET /v3/identity} end to end on loopback: pep (camel-main,
 * Vert.x HTTP, the embedded store on disk) provisioning simulated gateways ({@link FccSimulator},
 * one per client, in this same JVM), with unique serials. Not a test: run {@code bench/inject-bench.sh}.
 *
 * <pre>
 * InjectBench [--requests=N] [--concurrency=1,4,16] [--warmup=N] [--exec-requests=N]
 *             [--exec-concurrency=1,4] [--log-level=INFO|WARN] [--log-file=F] [--max-concurrent=N]
 * </pre>
 * Each level sends N requests spread over its clients (closed loop: a client sends its next request
 * when the previous one is answered). pep's own log goes to --log-file, the table to stdout.
 */
public final class InjectBench {

    private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Store commits and journal forces so far (pep in-process): fsyncs per provisioning. */
    private static java.util.function.Supplier<long[]> durability = () -> new long[2];
    /** Where a thread's CPU goes, by thread name prefix. */
    private static final Map<String, String> PARTS = new LinkedHashMap<>();

    static {
        PARTS.put("vert.x-worker", "route+injector");
        PARTS.put("vert.x-eventloop", "http");
        PARTS.put("mongo-server", "store");
        PARTS.put("H2", "store");
        PARTS.put("MVStore", "store");
        PARTS.put("fcc-sim", "gateways");
        PARTS.put("bench-client", "clients");
        PARTS.put("HttpClient", "clients");
    }

    private final AtomicInteger levelNumber = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong clientThreadCpu = new java.util.concurrent.atomic.AtomicLong();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream table;

    private InjectBench(PrintStream table) {
        this.table = table;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        int requests = Integer.parseInt(options.getOrDefault("requests", "1000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "600"));
        int[] levels = ints(options.getOrDefault("concurrency", "1,4,16"));
        int execRequests = Integer.parseInt(options.getOrDefault("exec-requests", "24"));
        int[] execLevels = ints(options.getOrDefault("exec-concurrency", "1,4"));
        String logLevel = options.getOrDefault("log-level", "INFO");
        Path logFile = Path.of(options.getOrDefault("log-file", "target/inject-bench.log")).toAbsolutePath();
        int maxConcurrent = Integer.parseInt(options.getOrDefault("max-concurrent",
                String.valueOf(Math.max(8, Arrays.stream(levels).max().orElse(16)))));

        // the table on the real stdout; pep's log (one INFO line per request and more) to a file,
        // swapped in before log4j starts so its console appender writes there
        PrintStream stdout = System.out;
        Files.createDirectories(logFile.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
        System.setOut(log);
        System.setErr(log);
        InjectBench bench = new InjectBench(stdout);
        if (!"INFO".equalsIgnoreCase(logLevel)) {
            org.apache.logging.log4j.core.config.Configurator.setRootLevel(
                    org.apache.logging.log4j.Level.toLevel(logLevel));
        }

        stdout.printf("pep inject bench: %d CPUs, %s, JVM %s, pep log level %s -> %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.vm.version"), logLevel.toUpperCase(), logFile);
        stdout.printf("load average before: %s%n", loadAverage());
        stdout.printf("%-10s %11s %8s %13s %8s %8s %8s %7s %12s%n",
                "mode", "concurrency", "requests", "provisions/s", "p50 ms", "p99 ms", "max ms", "errors",
                "cpu ms/prov");

        Path dataDir = Files.createTempDirectory("pep-bench");
        PepMain pep = startPep(dataDir, Map.of("pep.tool.mode", "in-process",
                "pep.tool.max-concurrent", String.valueOf(maxConcurrent)));
        int port = pep.port();
        var registry = pep.main().getCamelContext().getRegistry();
        io.pep.store.EmbeddedMongo store = registry.lookupByNameAndType("embeddedMongo", io.pep.store.EmbeddedMongo.class);
        io.pep.provisioning.ProvisioningJournal journal = registry.lookupByNameAndType("provisioningJournal",
                io.pep.provisioning.ProvisioningJournal.class);
        durability = () -> new long[] {store == null ? 0 : store.commits(), journal == null ? 0 : journal.forces()};
        try {
            bench.level("warm-up", port, Math.max(1, Math.min(4, levels[0] * 4)), warmup, false);
            for (int level : levels) {
                bench.level("in-process", port, level, requests, true);
            }
        } finally {
            pep.stop();
            durability = () -> new long[2]; // not counted for the exec rows
        }

        if (execRequests > 0) {
            Path launcher = Path.of("bin/pep-inject").toAbsolutePath();
            Path jar = Path.of(System.getenv().getOrDefault("PEP_JAR", "target/pep.jar")).toAbsolutePath();
            if (!Files.isExecutable(launcher) || !Files.isRegularFile(jar)) {
                stdout.println("(exec rows skipped: need bin/pep-inject and " + jar + "; run from the repository root)");
            } else {
                PepMain execPep = startPep(dataDir, Map.of("pep.tool.mode", "exec",
                        "pep.tool.executable", launcher.toString(),
                        "pep.tool.env", "PEP_FCU_CONFIG_DIR=" + dataDir.resolve("dev-fcu-config") + ",PEP_JAR=" + jar,
                        "pep.tool.max-concurrent", String.valueOf(maxConcurrent)));
                int execPort = execPep.port();
                try {
                    for (int level : execLevels) {
                        bench.level("exec", execPort, level, execRequests, true);
                    }
                } finally {
                    execPep.stop();
                }
            }
        }
        System.exit(0); // Vert.x and the store leave non-daemon threads behind
    }

    private static PepMain startPep(Path dataDir, Map<String, String> properties) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(properties);
        settings.put("pep.data.dir", dataDir.toString());
        return PepMain.start(settings);
    }

    /** One row: {@code requests} provisions by {@code clients} closed-loop clients, each with its own gateway. */
    private void level(String mode, int port, int clients, int requests, boolean print) throws Exception {
        List<FccSimulator> gateways = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            gateways.add(new FccSimulator(SimulatorSettings.loopback(null)).start());
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        long[] latencies = new long[requests];
        CountDownLatch done = new CountDownLatch(clients);
        int row = levelNumber.incrementAndGet();
        Map<Long, Map.Entry<String, Long>> threadsBefore = threadCpu();
        clientThreadCpu.set(0);
        long[] durableBefore = durability.get();
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        for (int c = 0; c < clients; c++) {
            int gatewayPort = gateways.get(c).port();
            Thread client = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String serial = "BENCH-" + RUN + "-" + row + "-" + mode + "-" + clients + "-" + i;
                        long t0 = System.nanoTime();
                        int status;
                        String body;
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                    "http://127.0.0.1:" + port + "/v3/identity?serialNumber="
                                            + URLEncoder.encode(serial, StandardCharsets.UTF_8)
                                            + "&ip=127.0.0.1&port=" + gatewayPort))
                                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                            status = response.statusCode();
                            body = response.body();
                        } catch (IOException e) {
                            status = -1;
                            body = e.toString();
                        }
                        latencies[i] = System.nanoTime() - t0;
                        if (status != 200 || !body.contains("\"enrollmentID\":\"A-")) {
                            errors.incrementAndGet();
                            if (firstErrors.size() < 3) {
                                firstErrors.add(status + " " + body);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    clientThreadCpu.addAndGet(THREADS.getCurrentThreadCpuTime());
                    done.countDown();
                }
            }, "bench-client-" + c);
            client.start();
        }
        done.await();
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] durableAfter = durability.get();
        long cpuTotal = processCpuNanos() - cpuStarted;
        double cpuPerRequestMs = cpuTotal / 1e6 / requests;
        Map<String, Long> parts = cpuByPart(threadsBefore, threadCpu(), cpuTotal);
        parts.merge("clients", clientThreadCpu.get(), Long::sum);
        long attributed = parts.values().stream().mapToLong(Long::longValue).sum();
        parts.put("JVM (JIT, GC)", Math.max(0, cpuTotal - attributed));
        gateways.forEach(FccSimulator::close);
        if (!print) {
            return;
        }
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        table.printf("%-10s %11d %8d %13.1f %8.1f %8.1f %8.1f %7d %12.2f%n", mode, clients, requests,
                requests / seconds, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms(sorted[sorted.length - 1]), errors.get(), cpuPerRequestMs);
        StringBuilder breakdown = new StringBuilder("    cpu ms/prov by part:");
        parts.forEach((part, nanos) -> breakdown.append(String.format(" %s %.2f", part, nanos / 1e6 / requests)));
        table.println(breakdown);
        long commits = durableAfter[0] - durableBefore[0];
        long forces = durableAfter[1] - durableBefore[1];
        table.printf("    fsyncs: store commits %.2f/prov (%.0f/s), journal forces %.2f/prov (%.0f/s)%n",
                (double) commits / requests, commits / seconds, (double) forces / requests, forces / seconds);
        firstErrors.forEach(error -> table.println("    error: " + error.lines().findFirst().orElse("")));
    }

    /**
     * CPU time of this JVM (pep, the simulated gateways and the clients; not the exec'd pep-inject
     * processes): a cost per provision that other load on the machine does not distort.
     */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    /** CPU time so far of every live thread: id -> (part, cpu nanos); unknown threads by their name. */
    private static Map<Long, Map.Entry<String, Long>> threadCpu() {
        Map<Long, Map.Entry<String, Long>> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                cpu.put(info.getThreadId(), Map.entry(part(info.getThreadName()), nanos));
            }
        }
        return cpu;
    }

    private static String part(String threadName) {
        for (Map.Entry<String, String> part : PARTS.entrySet()) {
            if (threadName.startsWith(part.getKey())) {
                return part.getValue();
            }
        }
        if (threadName.endsWith("- pep-provisioning")) { // Camel's thread names: "Camel (camel-1) thread #7 - pep-provisioning"
            return "route+injector";
        }
        if (threadName.startsWith("pep-journal-force") || threadName.contains("seda://attempts")) {
            return "journal+attempt log";
        }
        return "thread " + threadName.replaceAll("[-#]?\\d+$", "");
    }

    /** CPU per part between two snapshots; unknown threads only when they used a noticeable share. */
    private static Map<String, Long> cpuByPart(Map<Long, Map.Entry<String, Long>> before,
                                               Map<Long, Map.Entry<String, Long>> after, long total) {
        Map<String, Long> parts = new LinkedHashMap<>();
        new java.util.LinkedHashSet<>(PARTS.values()).forEach(name -> parts.put(name, 0L));
        after.forEach((id, now) -> {
            Map.Entry<String, Long> then = before.get(id);
            parts.merge(now.getKey(), now.getValue() - (then == null ? 0 : then.getValue()), Long::sum);
        });
        long small = 0;
        for (var it = parts.entrySet().iterator(); it.hasNext(); ) {
            var part = it.next();
            if (part.getKey().startsWith("thread ") && part.getValue() < total / 50) {
                small += part.getValue();
                it.remove();
            }
        }
        parts.put("other threads", small);
        return parts;
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }


    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
