package io.pep.injector;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pep's own factory tool in {@code by_tool} key mode: issues a device certificate, builds the
 * production first-to-claim bundle, sends it to the gateway's FCC over TCP and returns the
 * enrollment id once FCC answers ReturnStatus 0.
 *
 * <p>The bundle is the one the real FCC was seen to accept without warnings (SPEC.md §7):
 * Verify=1; the device key (PKCS#8 DER); the device certificate, the bootstrap server CA and the
 * update auth certificate; UseBootstrap=1, FirstToClaim=1, the bootstrap URI (no {@code aid=}),
 * endpoint name, serial number, device info, CurrentTime (epoch seconds), Timezone, UTCOffset
 * and the 16-byte vendor and class ids. The factory CA itself is not sent.
 *
 * <p>One instance serves concurrent calls: the config is read once and immutable, each call has
 * its own key, socket and buffers. Suitable as a shared (Camel) bean.
 */
public final class Injector {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private final FcuConfig config;
    private final CertificateIssuer issuer;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Clock clock;
    private final FrameCodec frames = new FrameCodec();
    private final BundleCodec bundles = new BundleCodec();

    public Injector(FcuConfig config, Duration connectTimeout, Duration readTimeout) {
        this(config, connectTimeout, readTimeout, Clock.systemUTC(), new SecureRandom());
    }

    public Injector(FcuConfig config, Duration connectTimeout, Duration readTimeout, Clock clock, SecureRandom random) {
        this.config = config;
        this.issuer = new CertificateIssuer(config.authority(), clock, random);
        this.connectTimeout = requirePositive(connectTimeout, "connect timeout");
        this.readTimeout = requirePositive(readTimeout, "read timeout");
        this.clock = clock;
    }

    /** An injector for a config folder, with the default timeouts. */
    public static Injector forConfigFolder(Path folder) throws FcuConfigException {
        return new Injector(FcuConfig.load(folder), DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
    }

    public FcuConfig config() {
        return config;
    }

    /**
     * Injects a new identity into the FCC listening at host:port.
     *
     * @return the enrollment id and what FCC said
     * @throws InjectionException       when the gateway could not be reached or did not accept
     * @throws IllegalArgumentException for an empty endpoint name, serial number or host, or a bad port
     */
    public InjectionResult inject(String endpointName, String serialNumber, String host, int port)
            throws InjectionException {
        requireText(endpointName, "endpoint name");
        requireText(serialNumber, "serial number");
        requireText(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, got " + port);
        }
        IssuedCredentials credentials = issuer.issue(endpointName);
        byte[] request = bundles.encode(productionBundle(endpointName, serialNumber, credentials));
        FccResponse response = exchange(host, port, request);
        if (!response.isSuccess()) {
            throw new InjectionException(GatewayFailure.REFUSED, "gateway refused the bundle: ReturnStatus "
                    + response.returnStatus() + " " + oneLine(response.infoMessage()) + " (FCC at " + host + ":" + port + ")",
                    0, response.returnStatus(), response.infoMessage(), warningLines(response.warningInfo()), null);
        }
        return new InjectionResult(credentials.enrollmentId(), response.infoMessage(),
                warningLines(response.warningInfo()));
    }

    /** The production first-to-claim bundle for one gateway (see the class comment). */
    public Bundle productionBundle(String endpointName, String serialNumber, IssuedCredentials credentials) {
        Instant now = clock.instant();
        DeviceInfo device = config.deviceInfo();
        List<BundleItem> certificates = new ArrayList<>(List.of(
                BundleItem.certificate(FccItemNames.BOOTSTRAP_DEVICE_CERT, credentials.certificateDer()),
                BundleItem.certificate(FccItemNames.BOOTSTRAP_SERVER_CA_CERT, config.bootstrapServerCaCertificate())));
        if (config.updateAuthCertificate() != null) {
            certificates.add(BundleItem.certificate(FccItemNames.UPDATE_AUTH_CERT, config.updateAuthCertificate()));
        }
        List<BundleItem> params = new ArrayList<>(List.of(
                BundleItem.config(FccItemNames.USE_BOOTSTRAP, 1L),
                BundleItem.config(FccItemNames.FIRST_TO_CLAIM, 1L),
                BundleItem.config(FccItemNames.BOOTSTRAP_SERVER_URI, config.bootstrapServerUri()),
                BundleItem.config(FccItemNames.ENDPOINT_NAME, endpointName),
                BundleItem.config(FccItemNames.SERIAL_NUMBER, serialNumber),
                BundleItem.config(FccItemNames.MANUFACTURER, device.manufacturer()),
                BundleItem.config(FccItemNames.MODEL_NUMBER, device.modelNumber()),
                BundleItem.config(FccItemNames.DEVICE_TYPE, device.deviceType()),
                BundleItem.config(FccItemNames.HARDWARE_VERSION, device.hardwareVersion()),
                BundleItem.config(FccItemNames.MEMORY_TOTAL_KB, device.memoryTotalKb()),
                BundleItem.config(FccItemNames.CURRENT_TIME, now.getEpochSecond()),
                BundleItem.config(FccItemNames.TIMEZONE, config.timeZone().getId()),
                BundleItem.config(FccItemNames.UTC_OFFSET, utcOffset(config.timeZone().getRules().getOffset(now)))));
        if (config.vendorId() != null) {
            params.add(BundleItem.config(FccItemNames.VENDOR_ID, config.vendorId()));
        }
        if (config.classId() != null) {
            params.add(BundleItem.config(FccItemNames.CLASS_ID, config.classId()));
        }
        return new Bundle(Bundle.SCHEME_VERSION, null,
                List.of(BundleItem.privateKey(FccItemNames.BOOTSTRAP_DEVICE_PRIVATE_KEY, credentials.privateKeyDer())),
                certificates, params, 1L, null);
    }

    /** A fresh identity for this endpoint name, signed by the configured factory CA. */
    public IssuedCredentials issue(String endpointName) {
        return issuer.issue(endpointName);
    }

    /**
     * Sends one bundle and reads FCC's answer; any non-zero frame status is a refusal. Failures
     * are told apart by when they happen: before the connection is up (unreachable), while
     * waiting for the answer (silent, closed) or in reading it (unreadable).
     */
    public FccResponse exchange(String host, int port, byte[] request) throws InjectionException {
        String peer = host + ":" + port;
        Socket socket = new Socket();
        try (socket) {
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            } catch (SocketTimeoutException e) {
                throw new InjectionException(GatewayFailure.UNREACHABLE, "gateway unreachable: no answer to the TCP"
                        + " connect from the factory client at " + peer + " within " + connectTimeout.toMillis() + " ms", e);
            } catch (IOException e) {
                throw new InjectionException(GatewayFailure.UNREACHABLE, "gateway unreachable: cannot connect to the"
                        + " factory client at " + peer + " (" + e.getMessage() + ")", e);
            }
            socket.setSoTimeout((int) readTimeout.toMillis());
            frames.writeRequest(socket.getOutputStream(), request);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            ResponseFrame frame = frames.readResponse(in);
            if (!frame.isSuccess()) {
                throw new InjectionException(GatewayFailure.REFUSED, "gateway refused the frame: frame status "
                        + FrameStatus.describe(frame.statusCode()) + " (FCC at " + peer + ")",
                        frame.statusCode(), -1, null, List.of(), null);
            }
            return bundles.decodeResponse(frame.message());
        } catch (SocketTimeoutException e) {
            throw new InjectionException(GatewayFailure.SILENT, "gateway silent: the factory client at " + peer
                    + " accepted the connection but did not answer within " + readTimeout.toMillis() + " ms", e);
        } catch (FrameException | BundleFormatException e) {
            throw new InjectionException(GatewayFailure.UNREADABLE, "gateway sent an unreadable answer: "
                    + e.getMessage() + " (FCC at " + peer + ")", e);
        } catch (IOException e) {
            // EOF, reset or broken pipe after the connection was up
            throw new InjectionException(GatewayFailure.CLOSED, "gateway closed the connection without answering:"
                    + " the factory client at " + peer + " ended the session before replying (the real FCC does"
                    + " so when a frame's SHA-256 does not match)", e);
        }
    }

    /** ±HH:MM as FCC's mbed.UTCOffset wants it (seconds of historical offsets are dropped). */
    static String utcOffset(ZoneOffset offset) {
        // by hand: String.format showed up in a provisioning's CPU profile (bench/notes/history.md)
        int seconds = offset.getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        int hours = minutes / 60;
        int rest = minutes % 60;
        return new StringBuilder(6).append(seconds < 0 ? '-' : '+')
                .append((char) ('0' + hours / 10)).append((char) ('0' + hours % 10)).append(':')
                .append((char) ('0' + rest / 10)).append((char) ('0' + rest % 10)).toString();
    }

    /** FCC's text on one line (its InfoMessage ends with a newline). */
    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("[\\r\\n\\t]+", " / ");
    }

    private static List<String> warningLines(String warningInfo) {
        if (warningInfo == null || warningInfo.isBlank()) {
            return List.of();
        }
        return Arrays.stream(warningInfo.split("\n")).filter(line -> !line.isBlank()).toList();
    }

    private static Duration requirePositive(Duration duration, String what) {
        if (duration == null || duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be a positive duration, got " + duration);
        }
        return duration;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
    }
}
