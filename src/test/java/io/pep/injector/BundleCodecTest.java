package io.pep.injector;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class BundleCodecTest {

    private final BundleCodec codec = new BundleCodec();

    private final Bundle bundle = new Bundle(Bundle.SCHEME_VERSION, "session-1",
            List.of(BundleItem.privateKey("mbed.BootstrapDevicePrivateKey", new byte[]{1, 2, 3})),
            List.of(BundleItem.certificate("mbed.BootstrapDeviceCert", new byte[]{4, 5})),
            List.of(BundleItem.config("mbed.UseBootstrap", 1), BundleItem.config("mbed.EndpointName", "gw-1")),
            1L, 0L);

    @Test
    void requestIsADefiniteLengthMapWithDefiniteArrays() {
        byte[] cbor = codec.encode(bundle);
        // major type 5 (map) with the count in the low bits: 0xA0 | 7 keys
        assertEquals(0xA0 | 7, cbor[0] & 0xFF);
        assertEquals(-1, indexOf(cbor, (byte) 0xBF), "no indefinite-length map anywhere");
        assertEquals(-1, indexOf(cbor, (byte) 0x9F), "no indefinite-length array anywhere");
        // "ConfigParams" then an array of two items: 0x82
        int configParams = indexOf(cbor, "ConfigParams".getBytes());
        assertEquals(0x82, cbor[configParams + "ConfigParams".length()] & 0xFF);
    }

    @Test
    void booleansAreCborIntegers() {
        byte[] cbor = codec.encode(bundle);
        // "Verify" (text of 6: 0x66) followed by the unsigned integer 1 (0x01)
        int verify = indexOf(cbor, new byte[]{0x66, 'V', 'e', 'r', 'i', 'f', 'y'});
        assertEquals(0x01, cbor[verify + 7]);
        assertEquals(-1, indexOf(cbor, (byte) 0xF5), "no CBOR true");
        assertEquals(-1, indexOf(cbor, (byte) 0xF4), "no CBOR false");
    }

    @Test
    void requestRoundTrips() throws BundleFormatException {
        Bundle decoded = codec.decode(codec.encode(bundle));
        assertEquals(bundle, decoded);
        assertEquals("ECCPrivate", decoded.keys().get(0).type());
        assertEquals("der", decoded.certificates().get(0).format());
        assertEquals(1L, decoded.configParams().get(0).data());
    }

    @Test
    void unknownTopLevelKeyIs23() throws Exception {
        byte[] cbor = cborMap("SchemeVersion", "0.0.1", "Surprise", 1);
        BundleFormatException e = assertThrows(BundleFormatException.class, () -> codec.decode(cbor));
        assertEquals(23, e.status().code());
        assertEquals("Invalid group:Surprise", e.infoMessage());
    }

    @Test
    void cborTrueIs20() throws Exception {
        byte[] cbor = cborMap("SchemeVersion", "0.0.1", "Verify", true);
        assertEquals(20, assertThrows(BundleFormatException.class, () -> codec.decode(cbor)).status().code());
    }

    @Test
    void wrongSchemeVersionIs24AsInTheClientsStatusList() throws Exception {
        byte[] cbor = cborMap("SchemeVersion", "9.9.9");
        // fcc_status_e: ..., BUNDLE_UNSUPPORTED_GROUP 22, BUNDLE_INVALID_GROUP 23, BUNDLE_INVALID_SCHEME 24
        assertEquals(24, assertThrows(BundleFormatException.class, () -> codec.decode(cbor)).status().code());
        assertEquals(20, assertThrows(BundleFormatException.class,
                () -> codec.decode(new byte[]{(byte) 0xA1})).status().code());
    }

    @Test
    void responseIsAnIndefiniteLengthMapAndRoundTrips() throws BundleFormatException {
        FccResponse response = new FccResponse("0.0.1", "session-1", 0, "The Factory process succeeded\n",
                "Item not set:mbed.Timezone\n");
        byte[] cbor = codec.encodeResponse(response);
        assertEquals(0xBF, cbor[0] & 0xFF);
        assertEquals(0xFF, cbor[cbor.length - 1] & 0xFF);
        assertEquals(response, codec.decodeResponse(cbor));
    }

    @Test
    void responseWithoutReturnStatusIsRejected() throws Exception {
        byte[] cbor = cborMap("SchemeVersion", "0.0.1");
        assertEquals(21, assertThrows(BundleFormatException.class, () -> codec.decodeResponse(cbor)).status().code());
        FccResponse minimal = codec.decodeResponse(cborMap("ReturnStatus", 25));
        assertEquals(25, minimal.returnStatus());
        assertNull(minimal.infoMessage());
        assertTrue(!minimal.isSuccess());
    }

    @Test
    void itemDataKeepsItsCborType() throws BundleFormatException {
        Bundle typed = new Bundle("0.0.1", 7L, List.of(), List.of(), List.of(
                BundleItem.config("t", "text"), BundleItem.config("b", new byte[]{9}), BundleItem.config("n", 5L)),
                null, null);
        Bundle decoded = codec.decode(codec.encode(typed));
        assertEquals("text", decoded.configParams().get(0).text());
        assertArrayEquals(new byte[]{9}, decoded.configParams().get(1).bytes());
        assertEquals(5, decoded.configParams().get(2).unsignedValue().intValue());
        assertEquals(7L, decoded.sessionId());
        assertTrue(decoded.verifies(), "Verify defaults to 1");
    }

    @Test
    void an8000CharacterTextIsOneDefiniteLengthString() throws BundleFormatException {
        String name = "n".repeat(8000);
        byte[] cbor = codec.encode(withEndpointName(name));
        int at = indexOfDataOf(cbor, name);
        assertEquals(0x79, cbor[at] & 0xFF, "major type 3 with a 2-byte length, not 0x7F (chunked)");
        assertEquals(8000, ((cbor[at + 1] & 0xFF) << 8) | (cbor[at + 2] & 0xFF));
        assertEquals(-1, indexOf(cbor, (byte) 0x7F), "no indefinite-length text anywhere");
        assertEquals(name, endpointName(codec.decode(cbor)));
    }

    @Test
    void textsAndBytesOfAnySizeAreDefiniteLength() throws BundleFormatException {
        String multiByte = "Ü✓".repeat(1500); // 7500 bytes, 3000 characters
        byte[] cbor = codec.encode(withEndpointName(multiByte));
        int at = indexOfDataOf(cbor, multiByte);
        assertEquals(0x79, cbor[at] & 0xFF);
        assertEquals(7500, ((cbor[at + 1] & 0xFF) << 8) | (cbor[at + 2] & 0xFF), "the length counts UTF-8 bytes");
        assertEquals(multiByte, endpointName(codec.decode(cbor)));

        String huge = "h".repeat(70_000);
        byte[] big = codec.encode(withEndpointName(huge));
        assertEquals(0x7A, big[indexOfDataOf(big, huge)] & 0xFF, "major type 3, 4-byte length");
        assertEquals(huge, endpointName(codec.decode(big)));

        byte[] blob = new byte[9000];
        java.util.Arrays.fill(blob, (byte) 0x7F);
        Bundle withBlob = new Bundle("0.0.1", null, List.of(), List.of(BundleItem.certificate("c", blob)),
                List.of(), null, null);
        byte[] encoded = codec.encode(withBlob);
        int blobAt = indexOf(encoded, new byte[]{0x59, 0x23, 0x28}); // major type 2, length 9000
        assertTrue(blobAt > 0, "a definite-length byte string");
        assertEquals(-1, indexOf(encoded, (byte) 0x5F), "no indefinite-length byte string");
        assertArrayEquals(blob, codec.decode(encoded).certificates().get(0).bytes());
        assertEquals("", endpointName(codec.decode(codec.encode(withEndpointName("")))));
    }

    private Bundle withEndpointName(String name) {
        return new Bundle("0.0.1", null, List.of(), List.of(), List.of(BundleItem.config("mbed.EndpointName", name)),
                null, null);
    }

    private static String endpointName(Bundle decoded) {
        return decoded.configParams().get(0).text();
    }

    /** Where the header of the string holding {@code text} starts: just before its first bytes. */
    private static int indexOfDataOf(byte[] cbor, String text) {
        byte[] start = text.substring(0, 4).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int content = indexOf(cbor, start);
        int length = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        return content - (length < 24 ? 1 : length < 256 ? 2 : length < 65536 ? 3 : 5);
    }

    /** A CBOR map written without BundleCodec, to feed it what a foreign tool might send. */
    private static byte[] cborMap(Object... keysAndValues) throws Exception {
        var factory = new com.fasterxml.jackson.dataformat.cbor.CBORFactory();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var generator = factory.createGenerator(out)) {
            generator.writeStartObject();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                generator.writeFieldName((String) keysAndValues[i]);
                Object value = keysAndValues[i + 1];
                if (value instanceof Boolean b) {
                    generator.writeBoolean(b);
                } else if (value instanceof Integer n) {
                    generator.writeNumber(n);
                } else {
                    generator.writeString((String) value);
                }
            }
            generator.writeEndObject();
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] haystack, byte needle) {
        return indexOf(haystack, new byte[]{needle});
    }

    /** Where {@code needle} starts in {@code haystack}, or -1 (also used by the simulator's tests). */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
