package io.pep.provisioning;

import io.pep.identity.QueryParameters;
import io.pep.identity.InvalidRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.bson.Document;

/**
 * One validated {@code GET /v3/identity} request: where the gateway's factory client listens and
 * the record to store. Built only through {@link Validator}, so holding one means the input
 * passed every check (and nothing has been written yet).
 */
public final class IdentityRequest {

    private final String serialNumber;
    private final String ip;
    private final int port;
    private final Document record;

    private IdentityRequest(String serialNumber, String ip, int port, Document record) {
        this.serialNumber = serialNumber;
        this.ip = ip;
        this.port = port;
        this.record = record;
    }

    public String getSerialNumber() {
        return serialNumber;
    }

    public String getIp() {
        return ip;
    }

    public int getPort() {
        return port;
    }

    /**
     * The requested fields, in the record's order: {@code serialNumber}, {@code deployed=false}, the
     * configuration (defaults filled in) and {@code verificationKey} when given. A new document at
     * each call: a reader (a site hook) cannot change the request.
     */
    public Document getRecord() {
        return new Document(record);
    }

    /** The site's defaults for optional fields (SPEC §1), from {@code pep.defaults.*}. */
    public record Defaults(String apiAddress, String gatewayServicesAddress, String hardwareVersion,
                           String radioConfig, String ledConfig, String category) {
    }

    /** Checks a request's parameters; every refusal is an {@link InvalidRequest} naming the parameter. */
    public static final class Validator {

        static final int MAX_SERIAL_LENGTH = 256;
        static final int MAX_VALUE_LENGTH = 512;
        private static final Pattern IPV4 =
                Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
        private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.-]+)?");
        private static final Pattern PORT = Pattern.compile("\\d{1,5}");

        private final Defaults defaults;

        public Validator(Defaults defaults) {
            this.defaults = defaults;
        }

        public IdentityRequest validate(QueryParameters query) {
            String serialNumber = required(query, "serialNumber",
                    "the gateway's unique serial number");
            checkText("serialNumber", serialNumber, MAX_SERIAL_LENGTH);
            String ip = required(query, "ip", "the IP address where the gateway's factory client (FCC) listens");
            checkIp(ip);
            String portText = required(query, "port", "the TCP port where the gateway's factory client (FCC) listens");
            int port = checkPort(portText);

            String category = optional(query, "category", defaults.category());
            if (!category.equals("production") && !category.equals("development")) {
                throw invalid("category", "must be 'production' or 'development'");
            }
            String gatewayServicesAddress = optional(query, "gatewayServicesAddress", defaults.gatewayServicesAddress());
            Document record = new Document("serialNumber", serialNumber)
                    .append("deployed", false)
                    .append("hardwareVersion", optional(query, "hardwareVersion", defaults.hardwareVersion()))
                    .append("radioConfig", optional(query, "radioConfig", defaults.radioConfig()))
                    .append("ledConfig", optional(query, "ledConfig", defaults.ledConfig()))
                    .append("category", category)
                    .append("cloudAddress", gatewayServicesAddress)
                    .append("apiAddress", optional(query, "apiAddress", defaults.apiAddress()))
                    .append("gatewayServicesAddress", gatewayServicesAddress);
            query.nonEmpty("verificationKey").ifPresent(key -> {
                checkText("verificationKey", key, MAX_VALUE_LENGTH);
                record.append("verificationKey", key);
            });
            return new IdentityRequest(serialNumber, ip, port, record);
        }

        private static String required(QueryParameters query, String name, String meaning) {
            return query.nonEmpty(name).orElseThrow(() -> new InvalidRequest(
                    "Invalid request: missing required parameter '" + name + "' (" + meaning + ")"));
        }

        private static String optional(QueryParameters query, String name, String fallback) {
            String value = query.nonEmpty(name).orElse(fallback);
            checkText(name, value, MAX_VALUE_LENGTH);
            return value;
        }

        private static void checkText(String name, String value, int maxLength) {
            if (value.codePointCount(0, value.length()) > maxLength) {
                throw invalid(name, "is longer than " + maxLength + " characters");
            }
            if (value.codePoints().anyMatch(Validator::isControl)) {
                throw invalid(name, "must not contain control characters (newlines, tabs, NUL…)");
            }
        }

        private static boolean isControl(int codePoint) {
            int type = Character.getType(codePoint);
            return type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.FORMAT && codePoint == 0xFEFF;
        }

        private static void checkIp(String ip) {
            if (IPV4.matcher(ip).matches()) {
                return;
            }
            // A literal with ':' and only hex digits, dots and colons is parsed by the JDK without any DNS lookup.
            if (ip.indexOf(':') >= 0 && IPV6_CHARS.matcher(ip).matches()) {
                try {
                    InetAddress.getByName(ip);
                    return;
                } catch (UnknownHostException | SecurityException e) {
                    // falls through to the refusal
                }
            }
            throw invalid("ip", "must be a literal IPv4 or IPv6 address (no host names)");
        }

        private static int checkPort(String text) {
            int port = PORT.matcher(text).matches() ? Integer.parseInt(text) : -1;
            if (port < 1 || port > 65535) {
                throw invalid("port", "must be an integer from 1 to 65535");
            }
            return port;
        }

        private static InvalidRequest invalid(String name, String rule) {
            return new InvalidRequest("Invalid request: parameter '" + name + "' " + rule);
        }
    }
}
