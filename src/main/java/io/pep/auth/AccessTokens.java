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
 *
 * <p>A token may carry a name, {@code name:token} (the name: a letter or digit, then up to 63
 * letters, digits, {@code .}, {@code _} or {@code -}), so that the attempt log and a retirement say
 * which station or person made a call without ever holding the token. An unnamed token is named by
 * its kind and place, e.g. {@code device-token-2}.
 */
public final class AccessTokens {

    /** What a presented token may do. */
    public enum Role { NONE, DEVICE, ADMIN }

    /** A presented token's role and name (null for {@link Role#NONE}). */
    public record Caller(Role role, String name) {
    }

    private static final java.util.regex.Pattern NAMED = java.util.regex.Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,63}):(.+)");
    private static final Caller NOBODY = new Caller(Role.NONE, null);

    private record Token(String name, byte[] digest) {
    }

    private final List<Token> device;
    private final List<Token> admin;

    private AccessTokens(List<Token> device, List<Token> admin) {
        this.device = device;
        this.admin = admin;
    }

    public static AccessTokens of(String deviceTokens, String deviceTokensFile, String adminTokens, String adminTokensFile) {
        return new AccessTokens(digests(deviceTokens, deviceTokensFile, "pep.auth.device-tokens-file", "device-token"),
                digests(adminTokens, adminTokensFile, "pep.auth.admin-tokens-file", "admin-token"));
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
        return callerOf(token).role();
    }

    /** The role and name of {@code token}; every configured token is tried, whichever matches. */
    public Caller callerOf(String token) {
        if (token == null || token.isEmpty()) {
            return NOBODY;
        }
        byte[] presented = sha256(token);
        Token asAdmin = matching(admin, presented);
        Token asDevice = matching(device, presented);
        return asAdmin != null ? new Caller(Role.ADMIN, asAdmin.name())
                : asDevice != null ? new Caller(Role.DEVICE, asDevice.name()) : NOBODY;
    }

    /** Tries every token whatever matched, so the time taken says nothing about which one did. */
    private static Token matching(List<Token> tokens, byte[] presented) {
        Token match = null;
        for (Token token : tokens) {
            if (MessageDigest.isEqual(token.digest(), presented) && match == null) {
                match = token;
            }
        }
        return match;
    }

    private static List<Token> digests(String values, String file, String fileSetting, String kind) {
        List<Token> tokens = new ArrayList<>();
        addAll(tokens, values, kind);
        if (file != null && !file.isBlank()) {
            try {
                for (String line : Files.readAllLines(Path.of(file.trim()), StandardCharsets.UTF_8)) {
                    if (!line.strip().startsWith("#")) {
                        addAll(tokens, line, kind);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(fileSetting + ": cannot read " + file.trim(), e);
            }
        }
        return List.copyOf(tokens);
    }

    private static void addAll(List<Token> tokens, String values, String kind) {
        if (values == null) {
            return;
        }
        for (String entry : values.split(",")) {
            String trimmed = entry.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher named = NAMED.matcher(trimmed);
            tokens.add(named.matches() ? new Token(named.group(1), sha256(named.group(2)))
                    : new Token(kind + "-" + (tokens.size() + 1), sha256(trimmed)));
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
