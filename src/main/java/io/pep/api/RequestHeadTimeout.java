package io.pep.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that does not deliver a complete request head (request line and headers)
 * within {@code timeoutMs} of opening, or of its previous answer: a slow-loris client that sends
 * half a request, or drips it a byte at a time, or a keep-alive connection left idle, holds no
 * socket for long. The clock stops while a request is being answered, however long that takes
 * (a provisioning waits for its gateway): the Vert.x idle timeout is the backstop for those.
 */
public class RequestHeadTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeout.class);

    private final Vertx vertx;
    private final long timeoutMs;
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    public RequestHeadTimeout(Vertx vertx, long timeoutMs) {
        this.vertx = vertx;
        this.timeoutMs = timeoutMs;
    }

    /** For {@code HttpServer.connectionHandler}: the clock starts when the connection opens. */
    public void opened(HttpConnection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        connection.closeHandler(v -> {
            watches.remove(connection);
            watch.stop();
        });
        watch.start();
    }

    /** Router handler, first of all: a request head arrived; the clock restarts after its answer. */
    public void requestArrived(RoutingContext ctx) {
        Watch watch = watches.get(ctx.request().connection());
        if (watch != null) {
            watch.requestStarted();
            ctx.addEndHandler(done -> watch.requestEnded());
        }
        ctx.next();
    }

    private final class Watch {
        private final HttpConnection connection;
        private int inProgress; // HTTP/2 may carry several at once
        private long timer = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        synchronized void start() {
            stop();
            timer = vertx.setTimer(timeoutMs, id -> expired());
        }

        synchronized void stop() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        synchronized void requestStarted() {
            inProgress++;
            stop();
        }

        synchronized void requestEnded() {
            if (--inProgress == 0) {
                start();
            }
        }

        private void expired() {
            synchronized (this) {
                if (inProgress > 0) {
                    return;
                }
                timer = -1;
            }
            LOG.debug("Closing {}: no complete request within {} ms", connection.remoteAddress(), timeoutMs);
            connection.close();
        }
    }
}
