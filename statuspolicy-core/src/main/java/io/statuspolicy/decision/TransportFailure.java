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
        CONNECT_FAILED(true, false, false, "connection failed"),
        /** Connecting took too long: the request was never sent. */
        CONNECT_TIMEOUT(true, false, false, "connect timed out"),
        /** The connection closed or reset before a response: the request may have been processed. */
        CONNECTION_LOST(true, true, true, "connection lost before the response"),
        /** No response in time after sending: the request may have been processed. */
        RESPONSE_TIMEOUT(true, true, true, "no response in time"),
        /** The response could not be parsed (a server that lies): it may have been processed. */
        MALFORMED_RESPONSE(true, true, true, "malformed response"),
        /** TLS failed (certificate, handshake): retrying cannot help. */
        TLS(false, false, false, "TLS failure"),
        /** The caller interrupted or cancelled the call. */
        CANCELLED(false, true, true, "cancelled"),
        /** Any other I/O failure: it may have been processed. */
        OTHER(true, true, true, "I/O failure");

        private final boolean retryable;
        private final boolean mayHaveBeenProcessed;
        private final boolean mayHaveBeenSent;
        private final String phrase;

        Kind(boolean retryable, boolean mayHaveBeenProcessed, boolean mayHaveBeenSent, String phrase) {
            this.retryable = retryable;
            this.mayHaveBeenProcessed = mayHaveBeenProcessed;
            this.mayHaveBeenSent = mayHaveBeenSent;
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

        /**
         * Whether any part of the request, its body included, may have been written or read
         * from its source. False only for the kinds that end the exchange before a connection
         * exists (connect failures, a failed TLS handshake): then even a one-shot body is still
         * unread and can be sent on the next attempt (OkHttp's {@code requestSendStarted}).
         * A failure that only shows the server did not act, with bytes already sent (an HTTP/2
         * {@code REFUSED_STREAM}, say), is not such a kind: its body may be spent.
         *
         * <p>An executor classifies a failure as {@link #CONNECT_FAILED} or
         * {@link #CONNECT_TIMEOUT} only when it knows that nothing of the request, and nothing
         * of its body's source, was touched.
         */
        public boolean mayHaveBeenSent() {
            return mayHaveBeenSent;
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
