package io.pep.export;

/**
 * A bulk upload the portal accepted could not be settled in this run: its error report could not
 * be read (any status, a redirect pep does not follow, a timeout, a body that is no error report),
 * or the portal did not complete it within {@code pep.portal.poll.max} polls. The bulk stays
 * pending with this sentence as its reason and is checked again by a later run
 * ({@link UploadLedger#partFailed}); the run goes on with its other files and bulks.
 */
public class BulkNotSettled extends RuntimeException {

    public BulkNotSettled(String sentence) {
        super(sentence);
    }

    public BulkNotSettled(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
