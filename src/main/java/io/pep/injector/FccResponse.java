package io.pep.injector;

/**
 * FCC's answer to a bundle. {@code returnStatus} 0 is success; {@code warningInfo} is null when
 * FCC had no warnings; {@code sessionId} echoes the request's {@code SID} (null when it had none).
 */
public record FccResponse(String schemeVersion, Object sessionId, long returnStatus, String infoMessage,
                          String warningInfo) {

    public boolean isSuccess() {
        return returnStatus == FccReturnStatus.SUCCESS.code();
    }
}
