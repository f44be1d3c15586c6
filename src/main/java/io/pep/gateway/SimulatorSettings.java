package io.pep.gateway;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How a {@link FccSimulator} runs.
 *
 * @param host               address to listen on (127.0.0.1 by default)
 * @param port               TCP port, 0 for a random one (what the real FCC does on Linux)
 * @param storeDir           where {@code pal/} is written; null keeps nothing on disk
 * @param sessions           sessions to serve before stopping; 0 serves forever
 * @param refuse             QA fault: accept and close at once
 * @param closeMidFrame      QA fault: read the request, send half a response frame, close
 * @param delayMillis        QA fault: wait this long before answering
 * @param forcedReturnStatus QA fault: answer every well-formed bundle with this ReturnStatus (null: real checks)
 * @param log                where progress lines go (null: silent)
 * @param replyOnBadDigest   QA: answer a frame whose SHA-256 does not match with frame status 8
 *                           (INCONSISTENT_SIGNATURE), as the FCC sources suggest; the real FCC sends
 *                           nothing and ends the session, which is the default
 */
public record SimulatorSettings(String host, int port, Path storeDir, int sessions, boolean refuse,
                                boolean closeMidFrame, long delayMillis, Integer forcedReturnStatus,
                                Consumer<String> log, boolean replyOnBadDigest) {

    /** Settings with the real FCC's silence on a bad digest. */
    public SimulatorSettings(String host, int port, Path storeDir, int sessions, boolean refuse,
                             boolean closeMidFrame, long delayMillis, Integer forcedReturnStatus,
                             Consumer<String> log) {
        this(host, port, storeDir, sessions, refuse, closeMidFrame, delayMillis, forcedReturnStatus, log, false);
    }

    public SimulatorSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, got " + port);
        }
        if (sessions < 0) {
            throw new IllegalArgumentException("sessions must be 0 (forever) or more, got " + sessions);
        }
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay must not be negative, got " + delayMillis);
        }
        host = host == null || host.isBlank() ? "127.0.0.1" : host;
        log = log == null ? line -> { } : log;
    }

    /** A faithful simulator on a random loopback port serving any number of sessions. */
    public static SimulatorSettings loopback(Path storeDir) {
        return new SimulatorSettings("127.0.0.1", 0, storeDir, 0, false, false, 0, null, null);
    }

    public SimulatorSettings withSessions(int count) {
        return new SimulatorSettings(host, port, storeDir, count, refuse, closeMidFrame, delayMillis,
                forcedReturnStatus, log, replyOnBadDigest);
    }

    public SimulatorSettings withFaults(boolean refuse, boolean closeMidFrame, long delayMillis,
                                        Integer forcedReturnStatus) {
        return new SimulatorSettings(host, port, storeDir, sessions, refuse, closeMidFrame, delayMillis,
                forcedReturnStatus, log, replyOnBadDigest);
    }

    /** QA: answer a bad digest with frame status 8 instead of the real FCC's silence. */
    public SimulatorSettings withReplyOnBadDigest(boolean reply) {
        return new SimulatorSettings(host, port, storeDir, sessions, refuse, closeMidFrame, delayMillis,
                forcedReturnStatus, log, reply);
    }
}
