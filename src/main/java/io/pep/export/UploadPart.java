package io.pep.export;

import java.util.List;
import java.util.Set;

/**
 * One portal bulk upload: the enrollment ids it carries, the {@code _id}s of the records they come
 * from (what the ledger's writes select by), the run's records between them that it skips (no
 * enrollment id), whether {@code records} came in ascending {@code _id} order (then they are every
 * record of the run between the first and the last but {@code skipped}, and the ledger writes them
 * by {@code _id} windows), and its CSV (header line + one id per line).
 */
public record UploadPart(int number, Set<String> ids, List<Object> records, List<Object> skipped, boolean inIdOrder,
        byte[] csv) {
}
