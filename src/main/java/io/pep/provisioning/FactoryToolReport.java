package io.pep.provisioning;

import io.pep.injector.GatewayFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a factory tool's output says about the gateway. pep-inject prints it in a stable form
 * (see {@link io.pep.injector.PepInject}); for the vendor's ft_demo, whose log format is not a
 * contract, a ReturnStatus / InfoMessage / WarningInfo written as {@code Name: value},
 * {@code Name=value} or a Python dict entry ({@code 'Name': value}) is picked up, and a
 * "connection refused" marks the gateway unreachable. Everything else stays a plain tool failure.
 */
public record FactoryToolReport(Optional<GatewayFailure> kind, long returnStatus, String infoMessage,
                                long frameStatus, List<String> fccWarnings, List<String> configWarnings,
                                String error) {

    private static final Pattern LINE = Pattern.compile(
            "^(FCC ReturnStatus|FCC InfoMessage|FCC WarningInfo|FCC frame status|pep-inject failure|error|warning): ?(.*)$");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*(\\d{1,9})\\b");
    // ft_demo (best effort): "ReturnStatus: 13", "ReturnStatus=13", "'ReturnStatus': 13"
    private static final Pattern ANY_RETURN_STATUS =
            Pattern.compile("\\bReturnStatus\\b['\"]?\\s*[:=]\\s*['\"]?(\\d{1,9})");
    private static final Pattern ANY_INFO_MESSAGE =
            Pattern.compile("\\bInfoMessage\\b['\"]?\\s*[:=]\\s*['\"]?([^'\"\\r\\n]*)");
    private static final Pattern ANY_WARNING_INFO =
            Pattern.compile("\\bWarningInfo\\b['\"]?\\s*[:=]\\s*['\"]?([^'\"\\r\\n]+)");
    private static final Pattern UNREACHABLE = Pattern.compile(
            "(?i)connection refused|\\[Errno 111]|no route to host|network is unreachable");

    public FactoryToolReport {
        fccWarnings = List.copyOf(fccWarnings);
        configWarnings = List.copyOf(configWarnings);
    }

    /** Reads a run's combined output. */
    public static FactoryToolReport parse(String output) {
        GatewayFailure kind = null;
        long returnStatus = -1;
        long frameStatus = -1;
        String infoMessage = null;
        String error = null;
        List<String> fccWarnings = new ArrayList<>();
        List<String> configWarnings = new ArrayList<>();
        for (String line : output.split("\\r?\\n")) {
            Matcher matcher = LINE.matcher(line);
            if (!matcher.matches()) {
                continue;
            }
            String value = matcher.group(2).strip();
            switch (matcher.group(1)) {
                case "FCC ReturnStatus" -> returnStatus = leadingNumber(value, returnStatus);
                case "FCC InfoMessage" -> infoMessage = value;
                case "FCC WarningInfo" -> fccWarnings.add(value);
                case "FCC frame status" -> frameStatus = leadingNumber(value, frameStatus);
                case "pep-inject failure" -> kind = byLabel(value);
                case "error" -> error = value;
                case "warning" -> configWarnings.add(value);
                default -> { }
            }
        }
        if (returnStatus < 0) { // not pep-inject: look for the vendor tool's way of saying it
            Matcher status = ANY_RETURN_STATUS.matcher(output);
            if (status.find()) {
                returnStatus = Long.parseLong(status.group(1));
                Matcher info = ANY_INFO_MESSAGE.matcher(output);
                infoMessage = info.find() ? info.group(1).strip() : null;
                Matcher warning = ANY_WARNING_INFO.matcher(output);
                while (warning.find()) {
                    fccWarnings.add(warning.group(1).strip());
                }
            }
        }
        if (kind == null && returnStatus > 0) {
            kind = GatewayFailure.REFUSED;
        }
        if (kind == null && returnStatus < 0 && UNREACHABLE.matcher(output).find()) {
            kind = GatewayFailure.UNREACHABLE;
        }
        return new FactoryToolReport(Optional.ofNullable(kind), returnStatus, infoMessage, frameStatus, fccWarnings,
                configWarnings, error);
    }

    private static GatewayFailure byLabel(String label) {
        for (GatewayFailure failure : GatewayFailure.values()) {
            if (failure.label().equals(label)) {
                return failure;
            }
        }
        return null;
    }

    private static long leadingNumber(String value, long otherwise) {
        Matcher number = LEADING_NUMBER.matcher(value);
        return number.find() ? Long.parseLong(number.group(1)) : otherwise;
    }
}
