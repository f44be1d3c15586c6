package io.pep.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses requests whose {@code Host} names neither this machine nor a name the operator allowed
 * ({@code pep.server.allowed-hosts}), with 421 and a one-line text. A page on another site whose
 * name the attacker re-points to pep's address (DNS rebinding) is, to the browser, same-origin with
 * pep; the only trace it leaves is its own name in {@code Host}. Gateways and scripts call pep by an
 * IP address or by the station's name, both answered: any IP literal, {@code localhost}, this
 * machine's host name (and its fully qualified name when the resolver knows it), and every name of
 * the setting ({@code *.factory.lan} for a whole domain, {@code *} for any name). A request without
 * {@code Host} (HTTP/1.0) is answered. Each refused name is logged once (up to {@value #LOGGED_HOSTS}
 * names), every refusal counted in {@code pep_http_misdirected_requests_total}.
 */
public class HostCheck {

    static final int LOGGED_HOSTS = 100;
    /** How long the start waits for the resolver to tell this machine's fully qualified name. */
    private static final long CANONICAL_NAME_WAIT_MS = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(HostCheck.class);
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]*:[0-9a-f:.]*(%[\\w.~-]+)?]");

    private final Set<String> names;
    private final List<String> domains;
    private final boolean anyHost;
    private final Counter refused;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    HostCheck(Set<String> names, Set<String> allowed, MeterRegistry meters) {
        Set<String> own = new LinkedHashSet<>();
        names.forEach(name -> own.add(normalized(name)));
        this.anyHost = allowed.contains("*");
        this.domains = allowed.stream().filter(a -> a.startsWith("*.")).map(a -> normalized(a.substring(1))).toList();
        allowed.stream().filter(a -> !a.startsWith("*")).forEach(a -> own.add(normalized(a)));
        own.remove("");
        this.names = java.util.Collections.unmodifiableSet(own);
        this.refused = meters == null ? null : Counter.builder("pep.http.misdirected.requests")
                .description("requests refused with 421: their Host is not a name of pep's (pep.server.allowed-hosts)")
                .register(meters);
    }

    /** This machine's names and the setting's (a comma-separated list; empty: this machine's alone). */
    public static HostCheck of(String allowedHosts, MeterRegistry meters) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String name : (allowedHosts == null ? "" : allowedHosts).split(",")) {
            if (!name.isBlank()) {
                allowed.add(name.strip().toLowerCase(Locale.ROOT));
            }
        }
        HostCheck check = new HostCheck(allowed.contains("*") ? Set.of() : machineNames(), allowed, meters);
        LOG.info(check.anyHost ? "Requests for any Host name are answered (pep.server.allowed-hosts=*)"
                : "Requests are answered for IP addresses and the Host names {}{} (pep.server.allowed-hosts)",
                check.names, check.domains.isEmpty() ? "" : " and any name under " + check.domains);
        return check;
    }

    /** Router handler, before any other answer: a refused Host learns nothing else. */
    public void handle(RoutingContext ctx) {
        String host = ctx.request().getHeader(HttpHeaders.HOST);
        if (host == null || allows(host)) {
            ctx.next();
            return;
        }
        String name = HttpEdge.oneLine(hostName(host));
        if (refused != null) {
            refused.increment();
        }
        if (logged.size() < LOGGED_HOSTS && logged.add(name)) {
            LOG.warn("421 for Host '{}' (first from {}): not a name of this machine nor in pep.server.allowed-hosts;"
                    + " a web page re-pointing its name to pep (DNS rebinding), or a name gateways use that belongs in"
                    + " pep.server.allowed-hosts{}", name, ctx.request().remoteAddress(),
                    logged.size() == LOGGED_HOSTS ? "; further names are not logged, see pep_http_misdirected_requests_total" : "");
        }
        HttpEdge.answer(ctx.response(), 421, "Misdirected request: pep does not answer for the host name '" + name
                + "'; call it by this machine's name or IP address, or add the name to pep.server.allowed-hosts.", null);
    }

    boolean allows(String hostHeader) {
        if (anyHost) {
            return true;
        }
        if (hostHeader.isBlank()) {
            return true; // no authority, as an HTTP/1.0 request without Host
        }
        String host = normalized(hostName(hostHeader));
        if (names.contains(host) || IPV4.matcher(host).matches() || IPV6.matcher(host).matches()) {
            return true;
        }
        return domains.stream().anyMatch(domain -> host.endsWith(domain) && host.length() > domain.length());
    }

    /** The name in a Host header: without its port; an IPv6 literal keeps its brackets. */
    static String hostName(String hostHeader) {
        String host = hostHeader.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static String normalized(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * {@code localhost}, the host name, and the fully qualified name when the resolver gives it
     * within a bounded wait (a factory LAN may have no DNS: the operator then lists it).
     */
    static Set<String> machineNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost"));
        try {
            names.add(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()); // known without a resolver
        } catch (IOException | RuntimeException notLinux) {
            // the resolver's answer below
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            CompletableFuture<String> canonical = CompletableFuture.supplyAsync(local::getCanonicalHostName);
            String fqdn = canonical.get(CANONICAL_NAME_WAIT_MS, TimeUnit.MILLISECONDS);
            if (!IPV4.matcher(fqdn).matches() && !fqdn.contains(":")) {
                names.add(fqdn);
            }
        } catch (Exception unknown) {
            LOG.info("This machine's fully qualified name is unknown ({}): list the names gateways use in"
                    + " pep.server.allowed-hosts", unknown.getMessage());
        }
        return names;
    }
}
