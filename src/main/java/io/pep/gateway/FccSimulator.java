package io.pep.gateway;

import io.pep.injector.Bundle;
import io.pep.injector.BundleCodec;
import io.pep.injector.BundleFormatException;
import io.pep.injector.BundleItem;
import io.pep.injector.FccResponse;
import io.pep.injector.FccReturnStatus;
import io.pep.injector.FrameCodec;
import io.pep.injector.FrameException;
import io.pep.injector.FrameStatus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gateway's factory client (FCC) for tests and QA labs, faithful to the real one on the wire:
 * it scans for the token, closes <b>without answering</b> on a wrong SHA-256, erases its store
 * on a session's first good message, reads only the first chunk of an indefinite-length string
 * ({@link ChunkedStrings}), applies FCC's checks ({@link BundleVerifier}), answers with
 * an indefinite-length CBOR map of at most 512 bytes echoing {@code SID}, and ends the session
 * after the answer unless {@code KpAlvSess} is 1. Unlike the real one it can serve sessions
 * concurrently (each on its own thread), so one simulator can stand for many gateways.
 */
public final class FccSimulator implements AutoCloseable {

    /** The real FCC's answers fit in 512 bytes; the injector side may rely on it. */
    static final int MAX_REPLY_LENGTH = 512;

    private final SimulatorSettings settings;
    private final FrameCodec frames = new FrameCodec();
    private final BundleCodec bundles = new BundleCodec();
    private final BundleVerifier verifier = new BundleVerifier();
    private final PalStore store;
    private final Clock clock;
    private final AtomicReference<Bundle> lastBundle = new AtomicReference<>();
    private final AtomicReference<FccResponse> lastResponse = new AtomicReference<>();
    private final AtomicInteger sessionsStarted = new AtomicInteger();
    private final Semaphore sessionsFinished = new Semaphore(0);
    private final ExecutorService sessionThreads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fcc-sim-session");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocket server;
    private Thread acceptor;

    public FccSimulator(SimulatorSettings settings) {
        this(settings, Clock.systemUTC());
    }

    FccSimulator(SimulatorSettings settings, Clock clock) {
        this.settings = settings;
        this.store = settings.storeDir() == null ? null : new PalStore(settings.storeDir());
        this.clock = clock;
    }

    /** Binds and starts accepting; prints FCC's {@code Client IP Address and Port :  ip:port} line. */
    public synchronized FccSimulator start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(settings.host(), settings.port()), 50);
        settings.log().accept("Client IP Address and Port :  " + advertisedAddress() + ":" + port());
        acceptor = new Thread(this::acceptLoop, "fcc-sim-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Where {@code pal/} is written, or null when nothing is kept. */
    public Path storeDir() {
        return settings.storeDir();
    }

    /** The last bundle that decoded, whatever the verdict. */
    public Optional<Bundle> lastBundle() {
        return Optional.ofNullable(lastBundle.get());
    }

    public Optional<FccResponse> lastResponse() {
        return Optional.ofNullable(lastResponse.get());
    }

    /** Waits until this many sessions (since start) have ended. */
    public boolean awaitSessions(int count, Duration timeout) throws InterruptedException {
        if (!sessionsFinished.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        sessionsFinished.release(count);
        return true;
    }

    /** Blocks until the configured number of sessions is served (forever when it is 0). */
    public void awaitCompletion() throws InterruptedException {
        acceptor.join();
        sessionThreads.shutdown();
        sessionThreads.awaitTermination(1, TimeUnit.DAYS);
    }

    @Override
    public synchronized void close() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing a listening socket; nothing to recover
        }
        sessionThreads.shutdownNow();
    }

    private void acceptLoop() {
        try {
            while (settings.sessions() == 0 || sessionsStarted.get() < settings.sessions()) {
                Socket socket = server.accept();
                sessionsStarted.incrementAndGet();
                sessionThreads.execute(() -> serve(socket));
            }
        } catch (IOException e) {
            if (!server.isClosed()) {
                settings.log().accept("accept failed: " + e.getMessage());
            }
        }
    }

    private void serve(Socket socket) {
        String peer = socket.getRemoteSocketAddress().toString();
        try (socket) {
            if (settings.refuse()) {
                settings.log().accept("refusing " + peer + " (--refuse)");
                return;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            Map<String, BundleItem> sessionItems = new LinkedHashMap<>();
            boolean erased = false;
            while (true) {
                Optional<byte[]> message;
                try {
                    message = frames.readRequest(in);
                } catch (FrameException e) {
                    if (e.status() == FrameStatus.INCONSISTENT_SIGNATURE && !settings.replyOnBadDigest()) {
                        // the real FCC sends nothing back on a wrong digest and ends the session (SPEC §7);
                        // the session counts like any other, so with --sessions=1 the simulator then exits
                        settings.log().accept(peer + ": " + e.getMessage() + "; closing without an answer, as the "
                                + "real FCC does");
                        return;
                    }
                    settings.log().accept(peer + ": " + e.getMessage() + "; answering frame status "
                            + FrameStatus.describe(e.status().code()));
                    frames.writeResponse(out, e.status(), null);
                    return;
                }
                if (message.isEmpty()) {
                    return;
                }
                if (settings.delayMillis() > 0) {
                    Thread.sleep(settings.delayMillis());
                }
                if (!erased && store != null) {
                    store.erase();
                }
                erased = true;
                Bundle bundle = null;
                Verdict verdict;
                ChunkedStrings.Rewrite asRead = ChunkedStrings.firstChunksOnly(message.get());
                if (asRead.chunkedStrings() > 0) {
                    settings.log().accept(peer + ": " + asRead.chunkedStrings() + " indefinite-length (chunked) "
                            + "string(s); reading only the first chunk of each, as the real FCC does");
                }
                try {
                    bundle = bundles.decode(asRead.message());
                    lastBundle.set(bundle);
                    verdict = settings.forcedReturnStatus() != null
                            ? forced(settings.forcedReturnStatus())
                            : verifier.verify(bundle, sessionItems, clock.instant());
                } catch (BundleFormatException e) {
                    verdict = new Verdict(e.status().code(), e.infoMessage(), List.of());
                }
                if (store != null) {
                    store.write(sessionItems.values());
                }
                FccResponse response = fitToReplyLimit(new FccResponse(Bundle.SCHEME_VERSION,
                        bundle == null ? null : bundle.sessionId(), verdict.returnStatus(), verdict.infoMessage(),
                        warningText(verdict.warnings())));
                byte[] reply = bundles.encodeResponse(response);
                lastResponse.set(response);
                settings.log().accept(peer + ": ReturnStatus " + FccReturnStatus.describe(verdict.returnStatus())
                        + " " + verdict.infoMessage().strip()
                        + (verdict.warnings().isEmpty() ? "" : " warnings " + verdict.warnings()));
                byte[] frame = frames.responseFrame(FrameStatus.SUCCESS, reply);
                if (settings.closeMidFrame()) {
                    out.write(frame, 0, frame.length / 2);
                    out.flush();
                    settings.log().accept(peer + ": closing in the middle of the answer (--close-mid-frame)");
                    return;
                }
                out.write(frame);
                out.flush();
                if (bundle == null || !bundle.keepsSessionAlive()) {
                    return;
                }
            }
        } catch (SocketException e) {
            settings.log().accept(peer + ": connection ended: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            settings.log().accept(peer + ": session failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sessionsFinished.release();
        }
    }

    private static Verdict forced(int returnStatus) {
        if (returnStatus == 0) {
            return Verdict.success(List.of());
        }
        String text = FccReturnStatus.ofCode(returnStatus).map(FccReturnStatus::text).orElse("Forced status");
        return new Verdict(returnStatus, text + " (forced by pep-fcc-sim)", List.of());
    }

    private static String warningText(List<String> warnings) {
        if (warnings.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        warnings.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /** Drops trailing warnings until the encoded reply fits FCC's 512 bytes. */
    private FccResponse fitToReplyLimit(FccResponse response) {
        List<String> warnings = response.warningInfo() == null ? List.of()
                : new ArrayList<>(List.of(response.warningInfo().split("\n")));
        while (bundles.encodeResponse(response).length > MAX_REPLY_LENGTH && !warnings.isEmpty()) {
            warnings.remove(warnings.size() - 1);
            response = new FccResponse(response.schemeVersion(), response.sessionId(), response.returnStatus(),
                    response.infoMessage(), warningText(warnings));
        }
        return response;
    }

    /** The address FCC would print: the bound one, or a non-loopback one when bound to all. */
    private String advertisedAddress() {
        InetAddress bound = server.getInetAddress();
        if (!bound.isAnyLocalAddress()) {
            return bound.getHostAddress();
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (address instanceof java.net.Inet4Address) {
                            return address.getHostAddress();
                        }
                    }
                }
            }
        } catch (SocketException ignored) {
            // fall through to loopback
        }
        return "127.0.0.1";
    }
}
