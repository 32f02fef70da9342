package io.statuspolicy.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One request as a {@link ScriptedServer} received it. Immutable.
 *
 * @param sequence        position in arrival order on this server, from 0 (the index in
 *                        {@link ScriptedServer#requests()})
 * @param connectionIndex which connection it came on: 0 for the server's first accepted
 *                        connection, 1 for the next, and so on. Two requests with the same index
 *                        shared a kept-alive connection; a retry after a fault shows a new index.
 * @param receivedAt      when the server had read it completely (wall clock)
 * @param method          the request method, as sent
 * @param target          the request-target as sent: path and query for ordinary requests
 * @param headers         header fields by lower-case name, in arrival order, with every value of
 *                        repeated fields kept in order
 * @param body            the request body, empty when there was none
 */
public record RecordedExchange(int sequence, int connectionIndex, Instant receivedAt, String method, String target,
        Map<String, List<String>> headers, byte[] body) {

    /** Copies and normalises: header names lower-cased, everything unmodifiable. */
    public RecordedExchange {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) ->
                lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(lower);
        body = body.clone();
    }

    /** A copy of the body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The first value of header {@code name} (any case), or null when it was not sent. */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /** Every value of header {@code name} (any case), in arrival order; empty when not sent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The body decoded as UTF-8. */
    public String bodyUtf8() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The SHA-256 of the body, as lower-case hex: compare it with the hash of what was sent. */
    public String bodySha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The path part of {@link #target()}: without the query, still percent-encoded as sent. */
    public String path() {
        return pathOf(target);
    }

    /** The path of a request-target: origin-form cut at '?', absolute-form parsed, others as they are. */
    static String pathOf(String target) {
        if (target.startsWith("/")) {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }
        try {
            String path = URI.create(target).getRawPath();
            return path == null || path.isEmpty() ? target : path;
        } catch (IllegalArgumentException notAUri) {
            return target; // "*" for OPTIONS, authority-form for CONNECT
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedExchange that && sequence == that.sequence
                && connectionIndex == that.connectionIndex && receivedAt.equals(that.receivedAt)
                && method.equals(that.method) && target.equals(that.target) && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, connectionIndex, receivedAt, method, target, headers, Arrays.hashCode(body));
    }

    /** One line, without header values or body bytes (they may hold test secrets). */
    @Override
    public String toString() {
        return "RecordedExchange[#" + sequence + " on connection " + connectionIndex + ": " + method + " " + target
                + ", headers " + headers.keySet() + ", body " + body.length + " bytes]";
    }
}
