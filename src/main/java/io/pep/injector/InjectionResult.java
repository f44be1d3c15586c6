package io.pep.injector;

import java.util.List;

/**
 * A successful injection: the gateway's enrollment id ({@code A-} + SHA-256 of its certificate),
 * FCC's InfoMessage and its warning lines (empty when FCC had none).
 */
public record InjectionResult(String enrollmentId, String infoMessage, List<String> warnings) {

    public InjectionResult {
        warnings = List.copyOf(warnings);
    }
}
