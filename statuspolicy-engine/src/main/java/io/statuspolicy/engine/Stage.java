package io.statuspolicy.engine;

import java.util.List;

/**
 * The stages of a call, in the order they run: the one named list of what comes before what, as
 * Apache HttpClient's exec chain names its elements. Before the first attempt: {@link #CREDENTIALS},
 * {@link #CONDITIONAL}, {@link #REDIRECT_MEMORY}; then, for every attempt: {@link #HOST_STATE},
 * {@link #HEADERS}, {@link #SEND}, {@link #DECIDE}, and on the way to another attempt
 * {@link #BUDGET} (a retry) and {@link #WAIT} (a delay), after which {@link #HOST_STATE} starts
 * the next one. A redirect (live or
 * remembered), a credential refresh and a 411 resend run {@link #CONDITIONAL} again for the new hop.
 *
 * <p>Why this order:
 * <ul>
 *   <li>credentials come first because the redirect memory and the response store are keyed by
 *       the principal: one user's {@code /me -> /users/alice} is never replayed for another;</li>
 *   <li>the redirect memory is decided by the decision function like a live redirect, so it needs
 *       the request's facts (method, body, credentials) that the conditional stage builds;</li>
 *   <li>the origin's state (host holds, issue 11) is checked before every attempt, the first
 *       included, and after every wait: a hold made by another call while this one waited still
 *       applies; it needs the hop's final URI and the principal, so it comes after the redirect
 *       memory and the credentials;</li>
 *   <li>the conditional stage (validators from the response store) runs for the final URI of the
 *       hop, so validators never travel to a URI they do not belong to;</li>
 *   <li>the budget is charged only for a retry that is carried out, after the decision; the wait
 *       comes last so that nothing is sent or charged for an attempt that the deadline stops.</li>
 * </ul>
 */
public enum Stage {
    /** The {@code Authorization} and {@code Proxy-Authorization} values: the caller's, or the source's current ones. */
    CREDENTIALS,
    /** The response store: a stored copy with validators makes a GET conditional. */
    CONDITIONAL,
    /** Permanent redirects learned earlier, each decided like a live one before it is used. */
    REDIRECT_MEMORY,
    /**
     * The origin's state before the attempt: a host hold ({@code Retry-After} of a 503, or of a 429
     * for the principal) makes it wait, wait for the one probe, or fail at once (issue 11).
     */
    HOST_STATE,
    /** The attempt's header fields: credentials set or dropped, content fields, validators. */
    HEADERS,
    /** The adapter sends the attempt and reports the head (or the failure). */
    SEND,
    /** The decision function decides on the head or the failure. */
    DECIDE,
    /** A retry is charged to the per-host retry budget. */
    BUDGET,
    /** The backoff or {@code Retry-After} wait before the next attempt. */
    WAIT;

    /** Every stage, in the order a call that retries after a wait passes through them. */
    public static final List<Stage> ORDER = List.of(values());
}
