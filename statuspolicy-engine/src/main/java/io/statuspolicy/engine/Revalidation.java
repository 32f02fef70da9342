package io.statuspolicy.engine;

import io.statuspolicy.decision.ResponseFacts;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engine's rules for what it remembers between calls (RFC 9111): which responses and
 * redirects are stored, under which key, which validators a request carries, and whether a 304
 * can freshen the stored copy. A store that fails is never allowed to fail a call.
 */
final class Revalidation {
    /** Bodies larger than this are not stored. */
    static final int STORED_BODY_LIMIT = 8 * 1024 * 1024;
    /** How long a permanent redirect without {@code max-age} is remembered. */
    static final long DEFAULT_REDIRECT_LIFETIME_MILLIS = 24L * 60 * 60 * 1000;

    private Revalidation() {
    }

    /**
     * The key for {@code uri}: the URI without fragment, plus a digest of the credentials
     * ({@code Authorization}, {@code Cookie}) when there are any, so that what one principal got
     * never answers another's request (RFC 9111 §3.5). No secret appears in a key.
     */
    static String key(String kind, URI uri, String authorization, List<String> cookieLines) {
        StringBuilder key = new StringBuilder(kind).append(' ').append(withoutFragment(uri));
        String cookies = cookieLines == null ? "" : String.join("; ", cookieLines);
        if (authorization != null || !cookies.isEmpty()) {
            key.append(" principal=").append(digest((authorization == null ? "" : authorization) + "\n" + cookies));
        }
        return key.toString();
    }

    /** The stored response for {@code key} if it has validators to revalidate with, else null. */
    static CachedResponse revalidatable(ResponseStore store, String key) {
        CachedResponse stored = quietly(() -> store.get(key));
        return stored != null && (stored.header("etag") != null || stored.header("last-modified") != null)
                ? stored : null;
    }

    /** The stored copy's validators as request fields, exactly as they were received (RFC 9110 §13.1). */
    static void addValidators(Map<String, List<String>> request, CachedResponse stored) {
        String etag = stored.header("etag");
        String lastModified = stored.header("last-modified");
        if (etag != null) {
            request.put("If-None-Match", List.of(etag));
        }
        if (lastModified != null) {
            request.put("If-Modified-Since", List.of(lastModified));
        }
    }

    /**
     * Whether a 304 names the stored representation (RFC 9111 §4.3.4): with a strong validator on
     * both sides, the same opaque tag; when the 304 carries an ETag but the stored copy has none, it
     * names another one; without an ETag on the 304, the stored copy's Last-Modified must not be
     * contradicted.
     */
    static boolean sameRepresentation(CachedResponse stored, ResponseFacts notModified) {
        String storedTag = stored.header("etag");
        List<String> tags = notModified.headerValues("ETag");
        if (!tags.isEmpty()) {
            if (storedTag == null) {
                return false;
            }
            String opaque = opaque(storedTag);
            return tags.stream().allMatch(tag -> opaque(tag).equals(opaque));
        }
        String storedModified = stored.header("last-modified");
        List<String> modified = notModified.headerValues("Last-Modified");
        return storedModified == null || modified.isEmpty() || modified.stream().allMatch(storedModified::equals);
    }

    private static String opaque(String tag) {
        String trimmed = tag.strip();
        return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
    }

    /**
     * Whether a 200 may be stored: it has a validator, no {@code no-store}, and varies on nothing
     * (the key holds no request field but the credentials; RFC 9111 §4.1).
     */
    static boolean storable(ResponseFacts response) {
        boolean validators = !response.headerValues("ETag").isEmpty()
                || !response.headerValues("Last-Modified").isEmpty();
        List<String> vary = response.headerValues("Vary");
        return validators && !directive(response, "no-store")
                && vary.stream().allMatch(String::isBlank);
    }

    /**
     * Whether a 301 or 308 may be remembered for later calls: not {@code no-store}, varies on
     * nothing (RFC 9111 §3, §4.1).
     */
    static boolean rememberable(ResponseFacts response) {
        return !directive(response, "no-store") && response.headerValues("Vary").stream().allMatch(String::isBlank);
    }

    /** How long a remembered redirect is used: its {@code max-age} (0 means not at all), or a day. */
    static long redirectLifetimeMillis(ResponseFacts response) {
        for (String line : response.headerValues("Cache-Control")) {
            for (String part : line.split(",")) {
                String directive = part.strip().toLowerCase(Locale.ROOT);
                if (directive.startsWith("max-age=")) {
                    try {
                        long seconds = Long.parseLong(directive.substring(8).replace("\"", ""));
                        return seconds <= 0 ? 0 : Math.min(seconds, Long.MAX_VALUE / 1000) * 1000;
                    } catch (NumberFormatException e) {
                        return 0; // RFC 9111 §4.2.1: an invalid max-age means stale
                    }
                }
            }
        }
        return DEFAULT_REDIRECT_LIFETIME_MILLIS;
    }

    private static boolean directive(ResponseFacts response, String name) {
        for (String line : response.headerValues("Cache-Control")) {
            for (String part : line.split(",")) {
                String directive = part.strip();
                int equals = directive.indexOf('=');
                if ((equals < 0 ? directive : directive.substring(0, equals)).strip().equalsIgnoreCase(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A tap that keeps a copy of a returned 200's body and stores it when the body ends whole (a
     * body beyond {@link #STORED_BODY_LIMIT} is not stored).
     */
    static BodyTap storing(ResponseStore store, String key, URI uri, Map<String, List<String>> headers,
            Supplier<Long> now) {
        URI storedUri = withoutFragment(uri);
        return new BodyTap() {
            private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
            private boolean tooLarge;

            @Override
            public void onBytes(ByteBuffer piece) {
                if (tooLarge || copy.size() + piece.remaining() > STORED_BODY_LIMIT) {
                    tooLarge = true;
                    return;
                }
                ByteBuffer view = piece.duplicate();
                byte[] chunk = new byte[view.remaining()];
                view.get(chunk);
                copy.write(chunk, 0, chunk.length);
            }

            @Override
            public void onComplete() {
                if (!tooLarge) {
                    CachedResponse response = new CachedResponse(storedUri, 200, headers, copy.toByteArray(),
                            now.get());
                    put(store, key, response);
                }
            }
        };
    }

    /** Removes an entry, ignoring a failing store. */
    static void forget(ResponseStore store, String key) {
        quietly(() -> {
            store.remove(key);
            return null;
        });
    }

    /** Stores an entry, ignoring a failing store. */
    static void put(ResponseStore store, String key, CachedResponse response) {
        quietly(() -> {
            store.put(key, response);
            return null;
        });
    }

    /** Stores are an optimisation: a failing store never fails the call. */
    static <V> V quietly(Supplier<V> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }

    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
