package io.statuspolicy.decision;

import java.util.Objects;

/**
 * A request that got no response, described by what is known about it: whether the request
 * can have reached the server decides whether a non-idempotent request may be repeated
 * (RFC 9110 §9.2.2).
 *
 * @param kind   what went wrong
 * @param detail a short description (the exception's message, already free of secrets), or null
 */
public record TransportFailure(Kind kind, String detail) {

    /** What went wrong. */
    public enum Kind {
        /** Refused, unreachable, or the name did not resolve: the request was never sent. */
        CONNECT_FAILED(true, false, "connection failed"),
        /** Connecting took too long: the request was never sent. */
        CONNECT_TIMEOUT(true, false, "connect timed out"),
        /** The connection closed or reset before a response: the request may have been processed. */
        CONNECTION_LOST(true, true, "connection lost before the response"),
        /** No response in time after sending: the request may have been processed. */
        RESPONSE_TIMEOUT(true, true, "no response in time"),
        /** The response could not be parsed (a server that lies): it may have been processed. */
        MALFORMED_RESPONSE(true, true, "malformed response"),
        /** TLS failed (certificate, handshake): retrying cannot help. */
        TLS(false, false, "TLS failure"),
        /** The caller interrupted or cancelled the call. */
        CANCELLED(false, true, "cancelled"),
        /** Any other I/O failure: it may have been processed. */
        OTHER(true, true, "I/O failure");

        private final boolean retryable;
        private final boolean mayHaveBeenProcessed;
        private final String phrase;

        Kind(boolean retryable, boolean mayHaveBeenProcessed, String phrase) {
            this.retryable = retryable;
            this.mayHaveBeenProcessed = mayHaveBeenProcessed;
            this.phrase = phrase;
        }

        /** Whether another attempt could succeed. */
        public boolean retryable() {
            return retryable;
        }

        /** Whether the server may have acted on the request. */
        public boolean mayHaveBeenProcessed() {
            return mayHaveBeenProcessed;
        }

        public String phrase() {
            return phrase;
        }
    }

    public TransportFailure {
        Objects.requireNonNull(kind, "kind");
    }

    /** "connection failed: Connection refused". */
    public String describe() {
        return detail == null || detail.isBlank() ? kind.phrase() : kind.phrase() + ": " + detail;
    }
}
