package io.statuspolicy.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-call options that an {@link java.net.http.HttpRequest} cannot carry. Pass them with
 * {@link PolicyHttpClient#send(java.net.http.HttpRequest, java.net.http.HttpResponse.BodyHandler, CallOptions)}.
 * Immutable; {@link #DEFAULT} asks for nothing special.
 *
 * @param retrySafe     the caller knows this request is safe to repeat (for example a POST the
 *                      server deduplicates), so it is retried like an idempotent one
 * @param awaitResource await a 404 for this long (the resource is expected to appear), or null
 *                      for the policy's setting
 * @param deadline      this call's overall deadline, or null for the policy's
 */
public record CallOptions(boolean retrySafe, Duration awaitResource, Duration deadline) {

    /** No options: the policy decides everything. */
    public static final CallOptions DEFAULT = new CallOptions(false, null, null);

    public CallOptions {
        if (awaitResource != null && awaitResource.isNegative()) {
            throw new IllegalArgumentException("awaitResource must not be negative, was " + awaitResource);
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
    }

    public CallOptions withRetrySafe(boolean value) {
        return new CallOptions(value, awaitResource, deadline);
    }

    /** Await a 404 for up to {@code window}: the caller expects the resource to appear soon. */
    public CallOptions withAwaitResource(Duration window) {
        return new CallOptions(retrySafe, Objects.requireNonNull(window, "window"), deadline);
    }

    public CallOptions withDeadline(Duration value) {
        return new CallOptions(retrySafe, awaitResource, Objects.requireNonNull(value, "deadline"));
    }
}
