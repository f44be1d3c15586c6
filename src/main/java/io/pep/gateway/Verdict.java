package io.pep.gateway;

import io.pep.injector.FccReturnStatus;

import java.util.List;

/** What the simulated FCC answers to one message: a ReturnStatus, its InfoMessage, warnings. */
record Verdict(long returnStatus, String infoMessage, List<String> warnings) {

    static Verdict success(List<String> warnings) {
        return new Verdict(0, FccReturnStatus.SUCCESS.text(), List.copyOf(warnings));
    }

    static Verdict failure(FccReturnStatus status, String itemName) {
        return new Verdict(status.code(), status.messageFor(itemName), List.of());
    }

    /** A refusal in words of its own, where the real FCC's text is not its status's usual one. */
    static Verdict failure(FccReturnStatus status, String text, String itemName) {
        return new Verdict(status.code(), text + ":" + itemName, List.of());
    }

    boolean isSuccess() {
        return returnStatus == 0;
    }
}
