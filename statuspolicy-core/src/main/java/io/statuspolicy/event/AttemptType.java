package io.statuspolicy.event;

/**
 * Why a request of a call is sent: the first one, or what the decision before it asked for. The
 * values follow gRPC's {@code grpc.attempt_type} (A96) and the guideline's steps, so a metric can
 * count attempts by cause without knowing which call they belong to.
 */
public enum AttemptType {
    /** The call's first request (possibly to a remembered redirect target). */
    ORIGINAL,
    /**
     * The same request again after a retry decision (a status or a transport failure), or the
     * unconditional resend after a 304 that named another representation (RFC 9111 §4.3.4).
     */
    RETRY,
    /** The request to a redirect's target. */
    REDIRECT,
    /** The same request with fresh credentials after a 401, 403 or 407. */
    CREDENTIALS,
    /** The same request with its body's exact {@code Content-Length}, after a 411. */
    LENGTH_RESEND,
    /** The same request again while awaiting a resource the caller expects to appear (a 404). */
    AWAIT
}
