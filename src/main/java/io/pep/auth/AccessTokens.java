package io.pep.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The configured bearer tokens, kept as SHA-256 digests only and compared in constant time
 * ({@link MessageDigest#isEqual}, every token tried): a wrong token takes as long as a right one.
 * Tokens come from a comma-separated property and/or a file (a Docker secret: one per line or
 * comma-separated; blank lines and {@code #} comments ignored). Never logged: {@link #toString}
 * says only how many there are.
 */
public final class AccessTokens {

    /** What a presented token may do. */
    public enum Role { NONE, DEVICE, ADMIN }

    private final List<byte[]> device;
    private final List<byte[]> admin;

    private AccessTokens(List<byte[]> device, List<byte[]> admin) {
        this.device = device;
        this.admin = admin;
    }

    public static AccessTokens of(String deviceTokens, String deviceTokensFile, String adminTokens, String adminTokensFile) {
        return new AccessTokens(digests(deviceTokens, deviceTokensFile, "pep.auth.device-tokens-file"),
                digests(adminTokens, adminTokensFile, "pep.auth.admin-tokens-file"));
    }

    public boolean deviceCallsProtected() {
        return !device.isEmpty();
    }

    /** Admin calls need an admin token as soon as any token is configured (no admin token: nobody may). */
    public boolean adminCallsProtected() {
        return !admin.isEmpty() || !device.isEmpty();
    }

    public boolean enabled() {
        return adminCallsProtected();
    }

    public Role roleOf(String token) {
        if (token == null || token.isEmpty()) {
            return Role.NONE;
        }
        byte[] presented = sha256(token);
        boolean isAdmin = matchesAny(admin, presented);
        boolean isDevice = matchesAny(device, presented);
        return isAdmin ? Role.ADMIN : isDevice ? Role.DEVICE : Role.NONE;
    }

    /** Tries every token whatever matched, so the time taken says nothing about which one did. */
    private static boolean matchesAny(List<byte[]> tokens, byte[] presented) {
        boolean match = false;
        for (byte[] token : tokens) {
            match |= MessageDigest.isEqual(token, presented);
        }
        return match;
    }

    private static List<byte[]> digests(String values, String file, String fileSetting) {
        List<byte[]> digests = new ArrayList<>();
        addAll(digests, values);
        if (file != null && !file.isBlank()) {
            try {
                for (String line : Files.readAllLines(Path.of(file.trim()), StandardCharsets.UTF_8)) {
                    if (!line.strip().startsWith("#")) {
                        addAll(digests, line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(fileSetting + ": cannot read " + file.trim(), e);
            }
        }
        return List.copyOf(digests);
    }

    private static void addAll(List<byte[]> digests, String values) {
        if (values == null) {
            return;
        }
        for (String token : values.split(",")) {
            String trimmed = token.strip();
            if (!trimmed.isEmpty()) {
                digests.add(sha256(trimmed));
            }
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return device.size() + " device token(s), " + admin.size() + " admin token(s)";
    }
}
