package io.pep.export;

import java.util.List;
import java.util.Set;

/**
 * One portal bulk upload: the enrollment ids it carries, the {@code _id}s of the records they come
 * from (what the ledger's writes select by), and its CSV (header line + one id per line).
 */
public record UploadPart(int number, Set<String> ids, List<Object> records, byte[] csv) {
}
