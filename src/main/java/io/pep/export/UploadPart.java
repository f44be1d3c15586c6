package io.pep.export;

import java.util.Set;

/** One portal bulk upload: the enrollment ids it carries and its CSV (header line + one id per line). */
public record UploadPart(int number, Set<String> ids, byte[] csv) {
}
