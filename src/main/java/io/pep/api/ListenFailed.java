package io.pep.api;

import java.net.BindException;

/**
 * pep's port could not be opened: one sentence naming the address, the cause and what to do, which
 * is also the whole of {@link #toString} (Camel wraps a start failure with its cause's toString, and
 * the start-up refusal prints that line).
 */
public class ListenFailed extends IllegalStateException {

    public ListenFailed(String host, int port, Throwable cause) {
        super(sentence(host, port, cause), cause);
    }

    static String sentence(String host, int port, Throwable cause) {
        String reason = cause == null ? "unknown reason" : String.valueOf(cause.getMessage());
        String at = "pep cannot listen on " + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + ": " + reason;
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        if (cause instanceof BindException && lower.contains("already in use")) {
            return at + " (another pep or another program listens there); stop that process, or set PEP_SERVER_PORT"
                    + " (pep.server.port) to a free port.";
        }
        if (cause instanceof BindException && lower.contains("assign requested address")) {
            return at + " (not an address of this machine); set PEP_SERVER_HOST (pep.server.host) to one of its"
                    + " addresses, or 0.0.0.0 for all.";
        }
        if (lower.contains("permission denied")) {
            return at + " (a port below 1024 needs root or CAP_NET_BIND_SERVICE); set PEP_SERVER_PORT"
                    + " (pep.server.port) to 1024 or above.";
        }
        return at + "; check PEP_SERVER_HOST (pep.server.host) and PEP_SERVER_PORT (pep.server.port).";
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
