package io.pep.injector;

import java.util.List;
import java.util.stream.Stream;

/**
 * One FCC request message (the "bundle"). {@code sessionId} ({@code SID}) is echoed by FCC; it is
 * text, bytes or an integer, or null when absent. {@code verify} and {@code keepAliveSession} are
 * FCC's 0/1 integers, null when absent (FCC's defaults: verify 1, keep-alive 0).
 */
public record Bundle(String schemeVersion, Object sessionId, List<BundleItem> keys, List<BundleItem> certificates,
                     List<BundleItem> configParams, Long verify, Long keepAliveSession) {

    public static final String SCHEME_VERSION = "0.0.1";

    public Bundle {
        keys = List.copyOf(keys == null ? List.of() : keys);
        certificates = List.copyOf(certificates == null ? List.of() : certificates);
        configParams = List.copyOf(configParams == null ? List.of() : configParams);
    }

    /** Every item of the three groups, keys first (FCC processes groups in this order). */
    public Stream<BundleItem> items() {
        return Stream.of(keys, certificates, configParams).flatMap(List::stream);
    }

    /** Whether FCC verifies the device after storing (absent means yes). */
    public boolean verifies() {
        return verify == null || verify != 0;
    }

    public boolean keepsSessionAlive() {
        return keepAliveSession != null && keepAliveSession != 0;
    }
}
