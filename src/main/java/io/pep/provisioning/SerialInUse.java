package io.pep.provisioning;

/**
 * A serial that already has a record (deployed, or reserved by a run in progress): a serial is
 * provisioned once. The message starts with the original server's sentence (SPEC §8).
 */
public class SerialInUse extends RuntimeException {

    /**
     * The original server's words (SPEC §8): old clients write a refused request's body into
     * identity.json and factory scripts look for this sentence, so every refusal starts with it.
     */
    public static final String ORIGINAL_TEXT = "Identity with this serial number exists already!";

    public SerialInUse(String serialNumber) {
        super(ORIGINAL_TEXT + " Gateway with serialNumber '" + serialNumber
                + "' already has an identity (or is being provisioned right now); a serial is provisioned once.");
    }
}
