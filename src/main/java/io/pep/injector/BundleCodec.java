package io.pep.injector;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CBOR for FCC messages, through jackson-dataformat-cbor.
 *
 * <p>Requests are written as <b>definite-length</b> maps and arrays (FCC's bundle parser expects
 * them), with FCC booleans as the integers 0/1. Every text and byte string is definite-length too,
 * whatever its size: Jackson's {@code writeString} splits text of more than ~4 KB into an
 * indefinite-length (chunked) string, of which the real FCC reads only the first chunk (an
 * 8000-character endpoint name arrived truncated, SPEC §7). Responses are written as <b>indefinite-length</b>
 * maps, as the real FCC does, and read in either form. Reading a request applies the structural
 * rules of FCC's bundle handler and reports a violation with the {@link FccReturnStatus} FCC
 * would answer. Thread-safe.
 */
public final class BundleCodec {

    static final String SCHEME_VERSION = "SchemeVersion";
    static final String SID = "SID";
    static final String KEYS = "Keys";
    static final String CERTIFICATES = "Certificates";
    static final String CONFIG_PARAMS = "ConfigParams";
    static final String VERIFY = "Verify";
    static final String KEEP_ALIVE = "KpAlvSess";
    static final String RETURN_STATUS = "ReturnStatus";
    static final String INFO_MESSAGE = "InfoMessage";
    static final String WARNING_INFO = "WarningInfo";
    static final String NAME = "Name";
    static final String DATA = "Data";
    static final String TYPE = "Type";
    static final String FORMAT = "Format";

    /** Groups FCC knows but pep neither sends nor simulates; accepted on input and ignored. */
    private static final Set<String> IGNORED_GROUPS =
            Set.of("CertificateChains", "CsrReqs", "Entropy", "ROT", "Disable");
    private static final Set<String> MODELLED_KEYS =
            Set.of(SCHEME_VERSION, SID, KEYS, CERTIFICATES, CONFIG_PARAMS, VERIFY, KEEP_ALIVE);

    // a map that names a key twice is malformed; without strict detection the last value would silently win
    private final CBORFactory factory = CBORFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    // ---------------------------------------------------------------- requests

    public byte[] encode(Bundle bundle) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put(SCHEME_VERSION, bundle.schemeVersion());
        if (bundle.sessionId() != null) {
            top.put(SID, bundle.sessionId());
        }
        if (!bundle.keys().isEmpty()) {
            top.put(KEYS, bundle.keys());
        }
        if (!bundle.certificates().isEmpty()) {
            top.put(CERTIFICATES, bundle.certificates());
        }
        if (!bundle.configParams().isEmpty()) {
            top.put(CONFIG_PARAMS, bundle.configParams());
        }
        if (bundle.verify() != null) {
            top.put(VERIFY, bundle.verify());
        }
        if (bundle.keepAliveSession() != null) {
            top.put(KEEP_ALIVE, bundle.keepAliveSession());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (CBORGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject(bundle, top.size());
            for (Map.Entry<String, Object> entry : top.entrySet()) {
                generator.writeFieldName(entry.getKey());
                if (entry.getValue() instanceof List<?> items) {
                    writeItems(generator, entry.getKey(), items);
                } else {
                    writeScalar(generator, entry.getValue());
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("CBOR encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    private static void writeItems(CBORGenerator generator, String group, List<?> items) throws IOException {
        generator.writeStartArray(items, items.size());
        for (Object element : items) {
            BundleItem item = (BundleItem) element;
            boolean isKey = KEYS.equals(group);
            boolean hasFormat = !CONFIG_PARAMS.equals(group);
            int size = 2 + (isKey ? 1 : 0) + (hasFormat ? 1 : 0);
            generator.writeStartObject(item, size);
            writeTextField(generator, NAME, item.name());
            if (isKey) {
                writeTextField(generator, TYPE, item.type() == null ? BundleItem.TYPE_EC_PRIVATE : item.type());
            }
            if (hasFormat) {
                writeTextField(generator, FORMAT, item.format() == null ? BundleItem.FORMAT_DER : item.format());
            }
            generator.writeFieldName(DATA);
            writeScalar(generator, item.data());
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    private static void writeScalar(CBORGenerator generator, Object value) throws IOException {
        if (value instanceof String text) {
            writeText(generator, text);
        } else if (value instanceof byte[] bytes) {
            // writeBinary(byte[]) always writes one definite-length byte string (0x40..0x5B header)
            generator.writeBinary(bytes);
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else {
            throw new IllegalArgumentException("cannot encode " + value + " as an FCC value");
        }
    }

    private static void writeTextField(CBORGenerator generator, String name, String text) throws IOException {
        generator.writeFieldName(name);
        writeText(generator, text);
    }

    /**
     * One definite-length text string (major type 3 with its byte count: 0x60..0x7B, never 0x7F)
     * at any size; {@code writeString} would chunk long text.
     */
    private static void writeText(CBORGenerator generator, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        generator.writeRawUTF8String(utf8, 0, utf8.length);
    }

    /**
     * Reads a request the way FCC's bundle handler does.
     *
     * @throws BundleFormatException with 20 for malformed CBOR or a CBOR true/false, 23 for an
     *                               unknown key or a wrong scheme version
     */
    public Bundle decode(byte[] message) throws BundleFormatException {
        JsonNode root = readTree(message, FccReturnStatus.BUNDLE_ERROR);
        if (!root.isObject()) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, null, "the message is not a CBOR map");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MODELLED_KEYS.contains(name) && !IGNORED_GROUPS.contains(name)) {
                // the real FCC's bundle handler: "Wrong group type" (FCC_STATUS_BUNDLE_INVALID_GROUP)
                throw new BundleFormatException(FccReturnStatus.BUNDLE_INVALID_GROUP, name, "unknown key");
            }
        }
        JsonNode scheme = root.get(SCHEME_VERSION);
        if (scheme == null || !scheme.isTextual() || !Bundle.SCHEME_VERSION.equals(scheme.textValue())) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_INVALID_SCHEME, SCHEME_VERSION,
                    "expected \"" + Bundle.SCHEME_VERSION + "\", got " + scheme);
        }
        return new Bundle(scheme.textValue(),
                root.has(SID) ? scalar(root.get(SID), SID) : null,
                items(root, KEYS),
                items(root, CERTIFICATES),
                items(root, CONFIG_PARAMS),
                flag(root, VERIFY),
                flag(root, KEEP_ALIVE));
    }

    private static List<BundleItem> items(JsonNode root, String group) throws BundleFormatException {
        JsonNode array = root.get(group);
        List<BundleItem> items = new ArrayList<>();
        if (array == null) {
            return items;
        }
        if (!array.isArray()) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_INVALID_GROUP, group, "not an array");
        }
        for (JsonNode entry : array) {
            if (!entry.isObject()) {
                throw new BundleFormatException(FccReturnStatus.BUNDLE_INVALID_GROUP, group, "an item is not a map");
            }
            JsonNode name = entry.get(NAME);
            if (name == null || !name.isTextual()) {
                throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, group, "an item has no text Name");
            }
            for (Iterator<String> fields = entry.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                boolean allowed = NAME.equals(field) || DATA.equals(field)
                        || (!CONFIG_PARAMS.equals(group) && FORMAT.equals(field))
                        || (KEYS.equals(group) && TYPE.equals(field));
                if (!allowed) {
                    throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, name.textValue(),
                            "unexpected field " + field + " in " + group);
                }
            }
            JsonNode data = entry.get(DATA);
            items.add(new BundleItem(name.textValue(),
                    data == null ? null : scalar(data, name.textValue()),
                    optionalText(entry, TYPE, name.textValue()),
                    optionalText(entry, FORMAT, name.textValue())));
        }
        return items;
    }

    private static String optionalText(JsonNode entry, String field, String itemName) throws BundleFormatException {
        JsonNode node = entry.get(field);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, itemName, field + " is not text");
        }
        return node.textValue();
    }

    private static Long flag(JsonNode root, String key) throws BundleFormatException {
        JsonNode node = root.get(key);
        if (node == null) {
            return null;
        }
        Object value = scalar(node, key);
        if (!(value instanceof Long number) || number < 0) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, key, "expected the integer 0 or 1");
        }
        return number;
    }

    /** Text, bytes or integer; FCC answers 20 to anything else, CBOR true/false included. */
    private static Object scalar(JsonNode node, String itemName) throws BundleFormatException {
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case STRING:
                return node.textValue();
            case BINARY:
                try {
                    return node.binaryValue();
                } catch (IOException e) {
                    throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, itemName, e.getMessage());
                }
            case NUMBER:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
                }
                break;
            default:
                break;
        }
        String shown = type == JsonNodeType.BOOLEAN ? "CBOR " + node.booleanValue() + " (FCC wants 0/1)" : type.toString();
        throw new BundleFormatException(FccReturnStatus.BUNDLE_ERROR, itemName, "unsupported value " + shown);
    }

    // ---------------------------------------------------------------- responses

    /** A response as FCC writes it: an indefinite-length map. */
    public byte[] encodeResponse(FccResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator generator = factory.createGenerator(out)) {
            generator.writeStartObject(); // no size: CBOR indefinite-length map (0xBF … 0xFF)
            writeTextField(generator, SCHEME_VERSION, response.schemeVersion());
            if (response.sessionId() != null) {
                generator.writeFieldName(SID);
                writeScalar(generator, response.sessionId());
            }
            generator.writeNumberField(RETURN_STATUS, response.returnStatus());
            writeTextField(generator, INFO_MESSAGE, response.infoMessage() == null ? "" : response.infoMessage());
            if (response.warningInfo() != null) {
                writeTextField(generator, WARNING_INFO, response.warningInfo());
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("CBOR encoding into memory failed", e);
        }
        return out.toByteArray();
    }

    /** Reads FCC's response map (definite or indefinite length); unknown keys are ignored. */
    public FccResponse decodeResponse(byte[] message) throws BundleFormatException {
        JsonNode root = readTree(message, FccReturnStatus.BUNDLE_RESPONSE_ERROR);
        JsonNode status = root.get(RETURN_STATUS);
        if (!root.isObject() || status == null || !status.isIntegralNumber()) {
            throw new BundleFormatException(FccReturnStatus.BUNDLE_RESPONSE_ERROR, null,
                    "the response is not a map with an integer ReturnStatus");
        }
        return new FccResponse(textOrNull(root.get(SCHEME_VERSION)),
                root.has(SID) ? scalar(root.get(SID), SID) : null,
                status.longValue(),
                textOrNull(root.get(INFO_MESSAGE)),
                textOrNull(root.get(WARNING_INFO)));
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private JsonNode readTree(byte[] message, FccReturnStatus onError) throws BundleFormatException {
        try {
            JsonNode root;
            try (JsonParser parser = factory.createParser(message)) {
                root = JsonTrees.read(parser);
            }
            if (root == null || root.isMissingNode()) {
                throw new BundleFormatException(onError, null, "empty message");
            }
            return root;
        } catch (IOException e) {
            throw new BundleFormatException(onError, null, "malformed CBOR: " + e.getMessage());
        }
    }
}
