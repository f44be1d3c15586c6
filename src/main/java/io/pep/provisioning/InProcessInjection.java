package io.pep.provisioning;

import java.util.List;

/**
 * A gateway injected in-process: its enrollment id, the WarningInfo lines FCC sent, and the
 * warnings of the FCU configuration the identity was built from (none of them may be dropped).
 */
public record InProcessInjection(String enrollmentId, List<String> fccWarnings, List<String> configWarnings) {

    public InProcessInjection {
        fccWarnings = List.copyOf(fccWarnings);
        configWarnings = List.copyOf(configWarnings);
    }
}
