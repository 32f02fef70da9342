package io.statuspolicy.jdk;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The executor's rules for conditional requests and its {@link ResponseStore} (RFC 9111):
 * which responses are stored, under which key, which validators a request carries, and whether
 * a 304 can freshen the stored copy. A store that fails is never allowed to fail a call.
 */
final class Revalidation {
    /** Bodies larger than this are not stored. */
    static final int STORED_BODY_LIMIT = 8 * 1024 * 1024;

    private Revalidation() {
    }

    /**
     * The key of a GET for {@code uri}: the URI without fragment, plus a digest of the credentials
     * ({@code Authorization}, {@code Cookie}) when there are any, so that one principal's response
     * never answers another's request (RFC 9111 §3.5).
     */
    static String key(URI uri, String authorization, List<String> cookieLines) {
        StringBuilder key = new StringBuilder("GET ").append(InMemoryRedirectStore.withoutFragment(uri));
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

    /** Adds the stored copy's validators, exactly as they were received (RFC 9110 §13.1). */
    static void addValidators(HttpRequest.Builder request, CachedResponse stored) {
        String etag = stored.header("etag");
        String lastModified = stored.header("last-modified");
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        if (lastModified != null) {
            request.header("If-Modified-Since", lastModified);
        }
    }

    /** Whether a 304's ETag (when it has one) names the stored representation, by weak comparison. */
    static boolean sameRepresentation(CachedResponse stored, HttpHeaders notModified) {
        String storedTag = stored.header("etag");
        List<String> tags = notModified.allValues("ETag");
        if (storedTag == null || tags.isEmpty()) {
            return true;
        }
        String opaque = opaque(storedTag);
        return tags.stream().allMatch(tag -> opaque(tag).equals(opaque));
    }

    private static String opaque(String tag) {
        String trimmed = tag.strip();
        return trimmed.startsWith("W/") ? trimmed.substring(2) : trimmed;
    }

    /**
     * Whether a 200 may be stored: it has a validator, no {@code no-store}, and varies on nothing
     * but {@code Accept-Encoding} (the key does not hold other request fields).
     */
    static boolean storable(HttpHeaders headers) {
        boolean validators = headers.firstValue("ETag").isPresent() || headers.firstValue("Last-Modified").isPresent();
        String cacheControl = String.join(",", headers.allValues("Cache-Control")).toLowerCase(Locale.ROOT);
        List<String> vary = headers.allValues("Vary");
        return validators && !cacheControl.contains("no-store") && (vary.isEmpty()
                || vary.stream().allMatch(v -> v.isBlank() || v.trim().equalsIgnoreCase("accept-encoding")));
    }

    /**
     * The caller's subscriber, with a copy of the body kept on the side and stored when the body
     * completes whole (a body beyond {@link #STORED_BODY_LIMIT} or one that fails is not stored).
     */
    static <T> BodySubscriber<T> storing(BodySubscriber<T> subscriber, ResponseStore store, String key, URI uri,
            HttpHeaders headers, Clock clock) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        boolean[] tooLarge = {false};
        URI storedUri = InMemoryRedirectStore.withoutFragment(uri);
        return Bodies.tee(subscriber, buffers -> {
            for (ByteBuffer buffer : buffers) {
                if (tooLarge[0] || copy.size() + buffer.remaining() > STORED_BODY_LIMIT) {
                    tooLarge[0] = true;
                    continue;
                }
                ByteBuffer view = buffer.duplicate();
                byte[] chunk = new byte[view.remaining()];
                view.get(chunk);
                copy.write(chunk, 0, chunk.length);
            }
        }, () -> {
            if (!tooLarge[0]) {
                CachedResponse response = new CachedResponse(storedUri, 200, headers.map(), copy.toByteArray(),
                        clock.millis());
                quietly(() -> {
                    store.put(key, response);
                    return null;
                });
            }
        });
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
    static <V> V quietly(java.util.function.Supplier<V> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            return null;
        }
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
