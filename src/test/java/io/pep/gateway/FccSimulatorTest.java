package io.pep.gateway;

import io.pep.identity.EnrollmentId;

import io.pep.injector.Bundle;
import io.pep.injector.BundleCodec;
import io.pep.injector.BundleCodecTest;
import io.pep.injector.BundleItem;
import io.pep.injector.DevelopmentConfig;
import io.pep.injector.FccItemNames;
import io.pep.injector.FccResponse;
import io.pep.injector.FcuConfig;
import io.pep.injector.FrameCodec;
import io.pep.injector.GatewayFailure;
import io.pep.injector.InjectionException;
import io.pep.injector.InjectionResult;
import io.pep.injector.Injector;
import io.pep.injector.IssuedCredentials;
import io.pep.injector.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator and the injector against each other, over loopback TCP with real certificates. */
class FccSimulatorTest {

    @TempDir
    static Path temp;
    static Injector injector;
    static FcuConfig config;
    private final BundleCodec codec = new BundleCodec();
    private final List<FccSimulator> running = new ArrayList<>();

    @BeforeAll
    static void developmentConfig() throws Exception {
        Path folder = temp.resolve("fcu-config");
        DevelopmentConfig.createIfAbsent(folder);
        config = FcuConfig.load(folder, Map.of());
        injector = new Injector(config, Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @AfterEach
    void stopSimulators() {
        running.forEach(FccSimulator::close);
    }

    @Test
    void acceptsTheProductionBundleWithoutWarningsAndStoresTheCertificate() throws Exception {
        Path store = temp.resolve("store-ok");
        FccSimulator simulator = simulator(SimulatorSettings.loopback(store));

        InjectionResult result = injector.inject("SN-0001", "SN-0001", "127.0.0.1", simulator.port());

        assertEquals("The Factory process succeeded\n", result.infoMessage());
        assertEquals(List.of(), result.warnings());
        Path working = store.resolve("pal/WORKING");
        byte[] storedCertificate = Files.readAllBytes(working.resolve("mbed.BootstrapDeviceCert.der"));
        String sha256 = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(storedCertificate));
        assertEquals("A-" + sha256, result.enrollmentId());
        assertEquals(EnrollmentId.ofCertificate(storedCertificate), result.enrollmentId());
        assertEquals(97, result.enrollmentId().length());
        assertEquals("SN-0001", Files.readString(working.resolve("mbed.EndpointName")));
        assertArrayEquals(new byte[]{1, 0, 0, 0}, Files.readAllBytes(working.resolve("mbed.UseBootstrap")));
        assertTrue(Files.exists(working.resolve("mbed.BootstrapServerCACert.der")));
        assertTrue(Files.exists(working.resolve("mbed.BootstrapDevicePrivateKey.der")));

        Bundle received = simulator.lastBundle().orElseThrow();
        assertEquals(1L, received.verify());
        assertTrue(received.certificates().stream().noneMatch(item ->
                java.util.Arrays.equals(item.bytes(), encoded(config.authority().certificate()))),
                "the factory CA is not sent");
    }

    @Test
    void erasesTheStoreOnTheFirstGoodMessageOfASession() throws Exception {
        Path store = temp.resolve("store-erase");
        Files.createDirectories(store.resolve("pal/WORKING"));
        Files.writeString(store.resolve("pal/WORKING/stale-item"), "from an earlier gateway");
        FccSimulator simulator = simulator(SimulatorSettings.loopback(store));
        injector.inject("gw-erase", "gw-erase", "127.0.0.1", simulator.port());
        assertFalse(Files.exists(store.resolve("pal/WORKING/stale-item")));
    }

    @Test
    void certificateWhoseCnDiffersFromTheEndpointNameIs14() throws Exception {
        IssuedCredentials other = injector.issue("someone-else");
        FccResponse response = send(variant("gw-cn", credentials -> other));
        assertEquals(14, response.returnStatus());
        assertEquals("Certificate CN attribute invalid:mbed.BootstrapDeviceCert", response.infoMessage());
    }

    @Test
    void cnComparisonIsCaseSensitive() throws Exception {
        IssuedCredentials upper = injector.issue("GW-CASE");
        assertEquals(14, send(variant("gw-case", credentials -> upper)).returnStatus());
    }

    @Test
    void privateKeyOfAnotherCertificateIs34() throws Exception {
        IssuedCredentials other = injector.issue("gw-key");
        FccResponse response = send(variant("gw-key",
                credentials -> new IssuedCredentials(other.privateKeyDer(), credentials.certificateDer())));
        assertEquals(34, response.returnStatus());
    }

    @Test
    void rawPrivateKeyBytesAre18() throws Exception {
        FccResponse response = send(variant("gw-raw",
                credentials -> new IssuedCredentials(new byte[32], credentials.certificateDer())));
        assertEquals(18, response.returnStatus());
    }

    @Test
    void anExpiredUpdateAuthCertificateIs13LikeTheRealFcc() throws Exception {
        FccResponse response = send(replacedCertificate(production("gw-update"), FccItemNames.UPDATE_AUTH_CERT,
                TestCertificates.expiredDaysAgo("update", 1)));
        assertEquals(13, response.returnStatus());
        assertEquals("Certificate expired:mbed.UpdateAuthCert", response.infoMessage());
    }

    @Test
    void anUpdateAuthCertificateTheFccCannotParseIs18GeneralErrorLikeTheRealFcc() throws Exception {
        for (var unusable : TestCertificates.unparseableByFcc().entrySet()) {
            FccResponse response = send(replacedCertificate(production("gw-update-key"), FccItemNames.UPDATE_AUTH_CERT,
                    unusable.getValue()));
            assertEquals(18, response.returnStatus(), unusable.getKey());
            assertEquals("General error:mbed.UpdateAuthCert", response.infoMessage(), unusable.getKey());
        }
    }

    @Test
    void anUpdateAuthCertificateNotYetValidIsAcceptedWithTheRealFccsWarning() throws Exception {
        FccResponse response = send(replacedCertificate(production("gw-update-future"), FccItemNames.UPDATE_AUTH_CERT,
                TestCertificates.validFromDaysAhead("update", 2)));
        assertEquals(0, response.returnStatus(), response.infoMessage());
        assertEquals("Certificate validity cannot be checked:mbed.UpdateAuthCert\n", response.warningInfo());
    }

    @Test
    void anExpiredBootstrapServerCaIsAcceptedAsTheRealFccDoes() throws Exception {
        FccResponse response = send(replacedCertificate(production("gw-bsca"), FccItemNames.BOOTSTRAP_SERVER_CA_CERT,
                TestCertificates.expiredDaysAgo("bootstrap CA", 1)));
        assertEquals(0, response.returnStatus(), response.infoMessage());
        assertNull(response.warningInfo());
    }

    @Test
    void an8000CharacterEndpointNameSentDefiniteLengthIsAccepted() throws Exception {
        String name = "L".repeat(8000);
        FccSimulator simulator = simulator(SimulatorSettings.loopback(null));
        InjectionResult result = injector.inject(name, name, "127.0.0.1", simulator.port());
        assertEquals("The Factory process succeeded\n", result.infoMessage());
        assertEquals(name, simulator.lastBundle().orElseThrow().configParams().stream()
                .filter(item -> item.name().equals(FccItemNames.ENDPOINT_NAME)).findFirst().orElseThrow().text());
    }

    @Test
    void aChunkedEndpointNameArrivesTruncatedAndIs14LikeTheRealFcc() throws Exception {
        String name = "C".repeat(8000);
        byte[] definite = codec.encode(production(name));
        byte[] chunked = chunkedEndpointName(definite, name, 3000);
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        FccSimulator simulator = simulator(new SimulatorSettings("127.0.0.1", 0, null, 0, false, false, 0, null,
                log::add));

        FccResponse response = injector.exchange("127.0.0.1", simulator.port(), chunked);

        assertEquals(14, response.returnStatus());
        assertEquals("Certificate CN attribute invalid:mbed.BootstrapDeviceCert", response.infoMessage());
        String received = simulator.lastBundle().orElseThrow().configParams().stream()
                .filter(item -> item.name().equals(FccItemNames.ENDPOINT_NAME)).findFirst().orElseThrow().text();
        assertEquals("C".repeat(3000), received, "only the first chunk is read");
        assertTrue(log.stream().anyMatch(line -> line.contains("1 indefinite-length (chunked) string(s)")), log.toString());
    }

    @Test
    void wrongDigestGetsNoAnswerAndTheConnectionCloses() throws Exception {
        FccSimulator simulator = simulator(SimulatorSettings.loopback(null));
        byte[] frame = new FrameCodec().requestFrame(codec.encode(production("gw-digest")));
        frame[frame.length - 1] ^= 0x01;
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(frame);
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "no byte back, just the close");
        }
        assertTrue(simulator.lastResponse().isEmpty());
    }

    @Test
    void unknownTopLevelKeyIs23() throws Exception {
        byte[] cbor = codec.encode(production("gw-unknown"));
        // turn "Verify" (5 keys: SchemeVersion, Keys, Certificates, ConfigParams, Verify) into "Verifx"
        int at = BundleCodecTest.indexOf(cbor, "Verify".getBytes());
        cbor[at + 5] = 'x';
        FccResponse response = injector.exchange("127.0.0.1", simulator(SimulatorSettings.loopback(null)).port(), cbor);
        assertEquals(23, response.returnStatus());
        assertEquals("Invalid group:Verifx", response.infoMessage());
    }

    @Test
    void sameItemTwiceInOneSessionIs17() throws Exception {
        FccSimulator simulator = simulator(SimulatorSettings.loopback(null));
        Bundle first = new Bundle("0.0.1", "s1", List.of(), List.of(),
                List.of(BundleItem.config(FccItemNames.MANUFACTURER, "Acme")), 0L, 1L);
        Bundle second = new Bundle("0.0.1", "s1", List.of(), List.of(),
                List.of(BundleItem.config(FccItemNames.MANUFACTURER, "Acme")), 0L, 0L);
        FrameCodec frames = new FrameCodec();
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            socket.setSoTimeout(2000);
            frames.writeRequest(socket.getOutputStream(), codec.encode(first));
            FccResponse kept = codec.decodeResponse(frames.readResponse(socket.getInputStream()).message());
            assertEquals(0, kept.returnStatus());
            assertEquals("s1", kept.sessionId(), "SID is echoed");
            frames.writeRequest(socket.getOutputStream(), codec.encode(second));
            FccResponse duplicate = codec.decodeResponse(frames.readResponse(socket.getInputStream()).message());
            assertEquals(17, duplicate.returnStatus());
            assertEquals("Data already exists:mbed.Manufacturer", duplicate.infoMessage());
            assertEquals(-1, socket.getInputStream().read(), "session ends without KpAlvSess");
        }
    }

    @Test
    void missingUseBootstrapIs25() throws Exception {
        FccResponse response = send(without(production("gw-25"), FccItemNames.USE_BOOTSTRAP));
        assertEquals(25, response.returnStatus());
        assertEquals("Item does not exist:mbed.UseBootstrap", response.infoMessage());
    }

    @Test
    void bootstrapUriRules() throws Exception {
        assertEquals(29, send(replaced(production("gw-aid"), BundleItem.config(FccItemNames.BOOTSTRAP_SERVER_URI,
                "coaps://bootstrap.dev.invalid:5684?aid=0123"))).returnStatus());
        assertEquals(28, send(replaced(production("gw-https"), BundleItem.config(FccItemNames.BOOTSTRAP_SERVER_URI,
                "https://bootstrap.dev.invalid"))).returnStatus());
        assertEquals(28, send(without(production("gw-ftc0"), FccItemNames.FIRST_TO_CLAIM)).returnStatus(),
                "without first-to-claim the URI needs aid=");
    }

    @Test
    void typeRules() throws Exception {
        assertEquals(30, send(replaced(production("gw-t1"), BundleItem.config(FccItemNames.USE_BOOTSTRAP, "1")))
                .returnStatus());
        assertEquals(28, send(replaced(production("gw-t2"), BundleItem.config(FccItemNames.FIRST_TO_CLAIM, "1")))
                .returnStatus());
        assertEquals(27, send(replaced(production("gw-t3"), BundleItem.config(FccItemNames.VENDOR_ID,
                "5065702d646576008000000000000001"))).returnStatus());
        assertEquals(33, send(replaced(production("gw-t4"), BundleItem.config(FccItemNames.UTC_OFFSET, "UTC")))
                .returnStatus());
        FccResponse early = send(replaced(production("gw-t5"), BundleItem.config(FccItemNames.CURRENT_TIME, 1000L)));
        assertEquals(1, early.returnStatus());
        assertEquals("General error:mbed.CurrentTime", early.infoMessage());
    }

    @Test
    void missingOptionalItemsOnlyWarn() throws Exception {
        FccResponse response = send(without(without(production("gw-warn"), FccItemNames.TIMEZONE),
                FccItemNames.VENDOR_ID));
        assertEquals(0, response.returnStatus());
        assertEquals("Item not set:mbed.Timezone\nItem not set:mbed.VendorId\n", response.warningInfo());
    }

    @Test
    void cborBooleanIs20() throws Exception {
        byte[] cbor = codec.encode(production("gw-bool"));
        int at = BundleCodecTest.indexOf(cbor, "Verify".getBytes());
        assertEquals(0x01, cbor[at + 6]);
        cbor[at + 6] = (byte) 0xF5; // CBOR true instead of the integer 1
        FccResponse response = injector.exchange("127.0.0.1", simulator(SimulatorSettings.loopback(null)).port(), cbor);
        assertEquals(20, response.returnStatus());
    }

    @Test
    void answerIsAnIndefiniteLengthMapOfAtMost512Bytes() throws Exception {
        FccSimulator simulator = simulator(SimulatorSettings.loopback(null));
        FrameCodec frames = new FrameCodec();
        try (Socket socket = new Socket("127.0.0.1", simulator.port())) {
            socket.setSoTimeout(2000);
            frames.writeRequest(socket.getOutputStream(), codec.encode(production("gw-shape")));
            byte[] reply = frames.readResponse(socket.getInputStream()).message();
            assertEquals(0xBF, reply[0] & 0xFF);
            assertTrue(reply.length <= 512);
        }
    }

    @Test
    void qaFaultsSurfaceAsInjectionFailures() throws Exception {
        SimulatorSettings base = SimulatorSettings.loopback(null);
        InjectionException refused = assertThrows(InjectionException.class, () -> injector.inject("gw-f1", "gw-f1",
                "127.0.0.1", simulator(base.withFaults(true, false, 0, null)).port()));
        assertEquals(GatewayFailure.CLOSED, refused.kind(), "taken, then closed");

        InjectionException halfFrame = assertThrows(InjectionException.class, () -> injector.inject("gw-f2", "gw-f2",
                "127.0.0.1", simulator(base.withFaults(false, true, 0, null)).port()));
        assertEquals(GatewayFailure.UNREADABLE, halfFrame.kind());

        InjectionException forced = assertThrows(InjectionException.class, () -> injector.inject("gw-f3", "gw-f3",
                "127.0.0.1", simulator(base.withFaults(false, false, 0, 25)).port()));
        assertEquals(GatewayFailure.REFUSED, forced.kind());
        assertEquals(25, forced.returnStatus());
        assertTrue(forced.getMessage().contains("ReturnStatus 25"), forced.getMessage());

        Injector impatient = new Injector(config, Duration.ofSeconds(1), Duration.ofMillis(200));
        InjectionException slow = assertThrows(InjectionException.class, () -> impatient.inject("gw-f4", "gw-f4",
                "127.0.0.1", simulator(base.withFaults(false, false, 1000, null)).port()));
        assertEquals(GatewayFailure.SILENT, slow.kind());
        assertTrue(slow.getMessage().contains("200 ms"), slow.getMessage());
    }

    @Test
    void nothingListeningIsAConnectionFailure() throws Exception {
        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        InjectionException e = assertThrows(InjectionException.class,
                () -> injector.inject("gw-x", "gw-x", "127.0.0.1", closedPort));
        assertEquals(GatewayFailure.UNREACHABLE, e.kind());
        assertNull(e.fccMessage());
    }

    @Test
    void oneInjectorServesConcurrentCalls() throws Exception {
        FccSimulator simulator = simulator(SimulatorSettings.loopback(null));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<InjectionResult>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String name = "gw-par-" + i;
                results.add(pool.submit(() -> injector.inject(name, name, "127.0.0.1", simulator.port())));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (Future<InjectionResult> result : results) {
                ids.add(result.get().enrollmentId());
            }
            assertEquals(32, ids.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void printsTheRealFccsAddressLine() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        SimulatorSettings settings = new SimulatorSettings("127.0.0.1", 0, null, 1, false, false, 0, null, lines::add);
        FccSimulator simulator = simulator(settings);
        assertEquals("Client IP Address and Port :  127.0.0.1:" + simulator.port(), lines.get(0));
    }

    // ------------------------------------------------------------------ helpers

    private FccSimulator simulator(SimulatorSettings settings) throws Exception {
        FccSimulator simulator = new FccSimulator(settings).start();
        running.add(simulator);
        return simulator;
    }

    private FccResponse send(Bundle bundle) throws Exception {
        return injector.exchange("127.0.0.1", simulator(SimulatorSettings.loopback(null)).port(), codec.encode(bundle));
    }

    private static Bundle production(String endpointName) {
        return injector.productionBundle(endpointName, endpointName, injector.issue(endpointName));
    }

    private static Bundle variant(String endpointName, UnaryOperator<IssuedCredentials> change) {
        return injector.productionBundle(endpointName, endpointName, change.apply(injector.issue(endpointName)));
    }

    private static Bundle replaced(Bundle bundle, BundleItem item) {
        List<BundleItem> params = bundle.configParams().stream()
                .map(existing -> existing.name().equals(item.name()) ? item : existing).toList();
        return new Bundle(bundle.schemeVersion(), bundle.sessionId(), bundle.keys(), bundle.certificates(), params,
                bundle.verify(), bundle.keepAliveSession());
    }

    /**
     * The message with the endpoint name's definite-length text (header 0x79 + 2-byte length) turned
     * into an indefinite-length one (0x7F, chunks, 0xFF) whose first chunk has {@code firstChunk} characters.
     */
    private static byte[] chunkedEndpointName(byte[] cbor, String name, int firstChunk) {
        int item = BundleCodecTest.indexOf(cbor, FccItemNames.ENDPOINT_NAME.getBytes());
        byte[] header = {0x79, (byte) (name.length() >>> 8), (byte) name.length()};
        int at = item + BundleCodecTest.indexOf(java.util.Arrays.copyOfRange(cbor, item, cbor.length), header);
        assertTrue(at > item, "the endpoint name's definite-length header");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(cbor, 0, at);
        out.write(0x7F);
        int rest = name.length() - firstChunk;
        out.writeBytes(new byte[]{0x79, (byte) (firstChunk >>> 8), (byte) firstChunk});
        out.writeBytes(name.substring(0, firstChunk).getBytes());
        out.writeBytes(new byte[]{0x79, (byte) (rest >>> 8), (byte) rest});
        out.writeBytes(name.substring(firstChunk).getBytes());
        out.write(0xFF);
        int after = at + header.length + name.length();
        out.write(cbor, after, cbor.length - after);
        return out.toByteArray();
    }

    private static Bundle replacedCertificate(Bundle bundle, String name, byte[] der) {
        List<BundleItem> certificates = bundle.certificates().stream()
                .map(existing -> existing.name().equals(name) ? BundleItem.certificate(name, der) : existing).toList();
        assertTrue(certificates.stream().anyMatch(item -> java.util.Arrays.equals(item.bytes(), der)), name + " is in the bundle");
        return new Bundle(bundle.schemeVersion(), bundle.sessionId(), bundle.keys(), certificates,
                bundle.configParams(), bundle.verify(), bundle.keepAliveSession());
    }

    private static Bundle without(Bundle bundle, String name) {
        return new Bundle(bundle.schemeVersion(), bundle.sessionId(),
                bundle.keys().stream().filter(item -> !item.name().equals(name)).toList(),
                bundle.certificates().stream().filter(item -> !item.name().equals(name)).toList(),
                bundle.configParams().stream().filter(item -> !item.name().equals(name)).toList(),
                bundle.verify(), bundle.keepAliveSession());
    }

    private static byte[] encoded(java.security.cert.X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }


}
