package io.pep.export;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A whole pep in a child JVM, for what one process cannot do to itself: run under a file-size
 * limit ({@code ulimit -f}, the short write of a nearly full share) or be killed with SIGKILL.
 * {@link #main} starts pep with {@code key=value} arguments and prints {@code PORT <n>}.
 */
final class ChildPep implements AutoCloseable {

    private final Process process;
    final int port;
    final StringBuffer output = new StringBuffer();

    private ChildPep(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        PepInstance pep = PepInstance.start(settings);
        System.out.println("PORT " + pep.port);
        System.out.flush();
        Thread.currentThread().join();
    }

    /** Starts a child pep; {@code fileSizeKb} > 0 runs it under {@code ulimit -f} (1 KB blocks). */
    static ChildPep start(Map<String, String> settings, int fileSizeKb, Path logDir) throws Exception {
        List<String> java = new ArrayList<>(io.pep.ChildJvm.command(List.of(), ChildPep.class.getName()));
        settings.forEach((k, v) -> java.add(k + "=" + v));
        StringBuilder command = new StringBuilder();
        if (fileSizeKb > 0) {
            command.append("ulimit -f ").append(fileSizeKb).append("; ");
        }
        command.append("exec");
        for (String arg : java) {
            command.append(" '").append(arg.replace("'", "'\\''")).append("'");
        }
        Process process = new ProcessBuilder("bash", "-c", command.toString()).redirectErrorStream(true)
                .directory(Path.of(System.getProperty("user.dir")).toFile()).start(); // pep.routes.dir is relative
        StringBuffer output = new StringBuffer();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
            } catch (IOException e) {
                // the child went away
            }
            port.completeExceptionally(new IllegalStateException("child pep ended: " + output));
        });
        reader.setDaemon(true);
        reader.start();
        ChildPep child = new ChildPep(process, port.get(io.pep.Eventually.START.toSeconds(), TimeUnit.SECONDS));
        child.output.append(output);
        return child;
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: the pep gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
