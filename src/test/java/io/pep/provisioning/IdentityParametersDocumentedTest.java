package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pep.identity.InvalidRequest;
import io.pep.identity.QueryParameters;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limits of {@code GET /v3/identity}'s parameters are written twice: in the API document
 * (what clients are told) and in {@link IdentityRequest.Validator} (what pep enforces). This test
 * reads the document and probes the validator at every documented bound, so that a limit enforced
 * but not documented, or documented but not enforced, fails here: lengths (counted in characters,
 * as JSON Schema counts them), the characters a pattern refuses, enums, integer ranges, required
 * parameters, and the defaults the document announces against the bundled {@code pep.defaults.*}.
 */
class IdentityParametersDocumentedTest {

    private static final Map<String, String> VALID = Map.of("serialNumber", "SN-1", "ip", "127.0.0.1", "port", "7777");
    /** Characters on both sides of the control-character rule, each probed against the document's pattern. */
    private static final int[] PROBES = {0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 'a', 0x7E, 0x7F, 0x85, 0x9F, 0xA0, 0xFC,
        0x200B, 0x200E, 0x2028, 0x2029, 0x202F, 0xFEFF, 0xFFFD, 0x1D11E};

    private static Map<String, JsonNode> parameters;
    private static Properties bundled;
    private static IdentityRequest.Validator validator;

    @BeforeAll
    static void readTheDocumentAndTheBundledDefaults() throws IOException {
        JsonNode document = new YAMLMapper().readTree(Path.of("src/main/resources/docs/openapi.yaml").toFile());
        parameters = new LinkedHashMap<>();
        for (JsonNode parameter : document.at("/paths/~1v3~1identity/get/parameters")) {
            JsonNode resolved = resolve(document, parameter);
            JsonNode schema = resolve(document, resolved.get("schema"));
            parameters.put(resolved.get("name").asText(), ((ObjectNode) resolved.deepCopy())
                    .set("schema", schema));
        }
        bundled = new Properties();
        try (var in = new InputStreamReader(new FileInputStream("src/main/resources/application.properties"),
                StandardCharsets.UTF_8)) {
            bundled.load(in);
        }
        validator = new IdentityRequest.Validator(new IdentityRequest.Defaults(
                bundled.getProperty("pep.defaults.api-address"), bundled.getProperty("pep.defaults.gateway-services-address"),
                bundled.getProperty("pep.defaults.hardware-version"), bundled.getProperty("pep.defaults.radio-config"),
                bundled.getProperty("pep.defaults.led-config"), bundled.getProperty("pep.defaults.category")));
    }

    @Test
    void everyDocumentedLengthIsEnforcedAndNoOtherOne() {
        for (var entry : freeTextParameters().entrySet()) {
            String name = entry.getKey();
            JsonNode schema = entry.getValue();
            assertTrue(schema.has("maxLength"), name + ": free text without a documented maxLength");
            int max = schema.get("maxLength").asInt();
            // a character outside the BMP: two Java chars, one character for JSON Schema and for pep
            String clef = new String(Character.toChars(0x1D11E));
            accepted(name, clef.repeat(max));
            refused(name, clef.repeat(max + 1));
            refused(name, "a".repeat(max + 1));
        }
    }

    @Test
    void theCharactersThePatternRefusesAreTheOnesPepRefuses() {
        for (var entry : freeTextParameters().entrySet()) {
            Pattern pattern = Pattern.compile(entry.getValue().get("pattern").asText());
            for (int probe : PROBES) {
                String value = "x" + new String(Character.toChars(probe)) + "x";
                if (pattern.matcher(value).matches()) {
                    accepted(entry.getKey(), value);
                } else {
                    refused(entry.getKey(), value);
                }
            }
        }
    }

    @Test
    void requiredParametersAreRequiredAndTheOthersOptional() {
        for (var entry : parameters.entrySet()) {
            Map<String, String> query = new LinkedHashMap<>(VALID);
            query.remove(entry.getKey());
            if (entry.getValue().path("required").asBoolean()) {
                refused(entry.getKey(), query);
                query.put(entry.getKey(), "");
                refused(entry.getKey(), query);
            } else {
                assertDoesNotThrow(() -> validator.validate(parse(query)), entry.getKey() + " is documented as optional");
            }
        }
        assertEquals(VALID.keySet(), required(), "the parameters the document requires");
    }

    @Test
    void enumsAndIntegerRangesAreTheDocumentedOnes() {
        for (var entry : parameters.entrySet()) {
            String name = entry.getKey();
            JsonNode schema = entry.getValue().get("schema");
            if (schema.has("enum")) {
                for (JsonNode allowed : schema.get("enum")) {
                    accepted(name, allowed.asText());
                    refused(name, allowed.asText().toUpperCase(java.util.Locale.ROOT));
                    refused(name, allowed.asText() + " ");
                }
            }
            if ("integer".equals(schema.path("type").asText())) {
                long min = schema.get("minimum").asLong();
                long max = schema.get("maximum").asLong();
                accepted(name, Long.toString(min));
                accepted(name, Long.toString(max));
                refused(name, Long.toString(min - 1));
                refused(name, Long.toString(max + 1));
                for (String notAnInteger : List.of("+" + min, " " + min, min + ".0", "1e3", "0x1F")) {
                    refused(name, notAnInteger);
                }
            }
        }
    }

    @Test
    void theDocumentedDefaultsAreTheBundledOnes() {
        IdentityRequest request = validator.validate(parse(VALID));
        for (var entry : parameters.entrySet()) {
            JsonNode schema = entry.getValue().get("schema");
            if (schema.has("default")) {
                assertEquals(schema.get("default").asText(), request.getRecord().get(entry.getKey()),
                        entry.getKey() + ": the document's default against pep.defaults.* in application.properties");
            }
        }
    }

    @Test
    void everyDocumentedParameterIsReadAndNothingElseIsStored() {
        Map<String, String> query = new LinkedHashMap<>(VALID);
        for (String name : parameters.keySet()) {
            JsonNode schema = parameters.get(name).get("schema");
            query.putIfAbsent(name, schema.has("enum") ? schema.get("enum").get(1).asText() : "given-" + name);
        }
        IdentityRequest request = validator.validate(parse(query));
        Set<String> stored = new TreeSet<>(request.getRecord().keySet());
        for (String name : parameters.keySet()) {
            Object value = switch (name) {
                case "ip" -> request.getIp();
                case "port" -> Integer.toString(request.getPort());
                default -> request.getRecord().get(name);
            };
            assertEquals(query.get(name), value, name + " is documented but not what pep keeps");
            stored.remove(name);
        }
        // pep's own fields, and the original's name for the gateway services address
        stored.removeAll(Set.of("deployed", "createdAt", "cloudAddress"));
        assertEquals(Set.of(), stored, "stored from the request but not documented as a parameter");
        assertEquals(query.get("gatewayServicesAddress"), request.getRecord().get("cloudAddress"));
    }

    /** Parameters whose values are free text: a pattern refusing control characters. */
    private static Map<String, JsonNode> freeTextParameters() {
        Map<String, JsonNode> free = new LinkedHashMap<>();
        parameters.forEach((name, parameter) -> {
            JsonNode schema = parameter.get("schema");
            if (schema.has("pattern") && schema.get("pattern").asText().startsWith("^[^\\u0000")) {
                free.put(name, schema);
            }
        });
        assertTrue(free.keySet().containsAll(List.of("serialNumber", "hardwareVersion", "verificationKey")),
                "free-text parameters found in the document: " + free.keySet());
        return free;
    }

    private static Set<String> required() {
        Set<String> required = new TreeSet<>();
        parameters.forEach((name, parameter) -> {
            if (parameter.path("required").asBoolean()) {
                required.add(name);
            }
        });
        return required;
    }

    private static void accepted(String name, String value) {
        Map<String, String> query = new LinkedHashMap<>(VALID);
        query.put(name, value);
        try {
            validator.validate(parse(query));
        } catch (InvalidRequest e) {
            fail(name + "=" + printable(value) + " is valid by the API document but pep refused it: " + e.getMessage());
        }
    }

    private static void refused(String name, String value) {
        Map<String, String> query = new LinkedHashMap<>(VALID);
        query.put(name, value);
        refused(name, query);
    }

    private static void refused(String name, Map<String, String> query) {
        try {
            validator.validate(parse(query));
            fail(name + "=" + printable(String.valueOf(query.get(name)))
                    + " breaks the API document's rule but pep accepted it");
        } catch (InvalidRequest e) {
            assertTrue(e.getMessage().contains("'" + name + "'"), "the refusal names " + name + ": " + e.getMessage());
        }
    }

    private static QueryParameters parse(Map<String, String> query) {
        List<String> pairs = new ArrayList<>();
        query.forEach((name, value) -> pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return QueryParameters.parse(String.join("&", pairs));
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        while (node.has("$ref")) {
            node = document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    private static String printable(String value) {
        StringBuilder shown = new StringBuilder();
        value.codePoints().limit(12).forEach(c -> shown.append(c < 0x20 || c >= 0x7F ? String.format("\\u%04X", c)
                : Character.toString(c)));
        return value.length() > 12 ? shown + "…(" + value.codePointCount(0, value.length()) + " characters)" : shown.toString();
    }
}
