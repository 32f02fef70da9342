package io.statuspolicy.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Redis key names. The engine's keys carry URIs and credential digests; in Redis every key is
 * the prefix, the kind and the SHA-256 of the engine's key (base64url, 43 characters), so no key
 * name carries a URI, a host name's path or a secret, and every key has the same short length.
 */
final class Keys {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    /** The digest that stands for {@code engineKey} in Redis and in every mirror. */
    static String digest(String engineKey) {
        byte[] hash = SHA256.get().digest(engineKey.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    String hold(String digest) {
        return prefix + "hold:" + digest;
    }

    String redirect(String digest) {
        return prefix + "redir:" + digest;
    }

    String response(String digest) {
        return prefix + "resp:" + digest;
    }

    String circuit(String digest) {
        return prefix + "cb:" + digest;
    }

    /** The pub/sub channel on which every instance tells the others what it changed. */
    String channel() {
        return prefix + "events";
    }

    /** What {@code SCAN MATCH} finds the keys of one kind with. */
    String pattern(String kind) {
        return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + kind + ":*";
    }

    /** The digest at the end of a key of this prefix. */
    static String digestOf(String key) {
        return key.substring(key.lastIndexOf(':') + 1);
    }
}
