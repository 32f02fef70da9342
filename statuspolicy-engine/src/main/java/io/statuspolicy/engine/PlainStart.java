package io.statuspolicy.engine;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.Methods;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.event.AttemptType;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.net.URI;
import java.util.ArrayList;

/**
 * The first-attempt fast path (issue 14): most calls need no stage before their first attempt
 * (no credential source, nothing remembered, no hold, no circuit, no response store) and end
 * with its first response, a success. For those the drivers send the first attempt and decide
 * its head with what this class computes from the {@link CallSpec} alone, and build the call's
 * {@link Execution} (its facts, its state, its bookkeeping) only when the head needs more than
 * "complete", the attempt failed, or, when someone listens, to tell how the call ended. What
 * the caller and a listener see is what the full path gives: the same attempt, the same
 * decision object, the same events in the same order, the same budget accounting. The
 * conformance suite, which always listens, runs every call through this path.
 *
 * <p>Stateless; its methods are called by a driver from one thread at a time.
 */
final class PlainStart {
    private PlainStart() {
    }

    /**
     * Whether a call may take the fast path: nothing the engine holds would change its first
     * attempt or must be told about it. Checked before the first attempt; none of it locks.
     */
    static boolean applies(PolicyEngine engine, CallSpec spec) {
        return applies(engine, spec.method(), spec.uri());
    }

    static boolean applies(PolicyEngine engine, String method, URI uri) {
        return engine.plainStarts() && engine.redirectStore().isEmpty() && engine.holdStore().isEmpty()
                && engine.circuitStore().isEmpty() && Methods.isValid(method)
                && !engine.decider().circuitBreakerOn(method, uri);
    }

    /**
     * The first attempt, exactly as {@link Execution#begin} would make it for such a call: the
     * caller's method, URI without its fragment, header fields as they are (not copied), body as
     * given, and the time left before {@code deadlineMillis} as its timeout. Records the request
     * in the retry budget and tells a listener, as {@code begin} does.
     */
    static Attempt attempt(PolicyEngine engine, CallSpec spec, long startMillis, long deadlineMillis) {
        started(engine, spec.method(), spec.uri(), spec.headers(), startMillis);
        return new Attempt(1, spec.method(), Revalidation.withoutFragment(spec.uri()), spec.headers(),
                spec.hasBody() ? Attempt.BodyMode.AS_GIVEN : Attempt.BodyMode.NONE,
                Math.max(0, deadlineMillis - startMillis), false);
    }

    /** Records the first attempt's request in the retry budget and tells a listener, as {@code begin} does. */
    static void started(PolicyEngine engine, String method, URI uri, java.util.Map<String, ?> headers,
            long startMillis) {
        engine.decider().budget().recordRequest(uri, startMillis);
        PolicyListener listener = engine.listener();
        if (listener != PolicyListener.NONE) {
            listener.attemptStarted(new PolicyEvent.AttemptStarted(method, uri, 1,
                    engine.clock().millis(), new ArrayList<>(headers.keySet()), AttemptType.ORIGINAL));
        }
    }

    /**
     * When the call that started at {@code startMillis} ({@link PolicyEngine#startMillis}) must be
     * over, as the call's state would say (counted from {@link PolicyEngine#deadlineBase}).
     */
    static long deadline(PolicyEngine engine, CallSpec spec, long startMillis) {
        return engine.decider().deadlineMillis(spec.method(), spec.uri(), spec.options().deadline(),
                engine.deadlineBase(startMillis));
    }

    /**
     * The decision for the first head when it completes the call at once (a success whose framing
     * is sound), the same object the full path decides, told to a listener as the full path
     * does; null when the full path must decide.
     */
    static Decision.Complete completion(PolicyEngine engine, CallSpec spec, Exchange<?> head) {
        Decision.Complete done = completes(engine, spec.method(), spec.uri(), head);
        if (done != null && engine.listener() != PolicyListener.NONE) {
            // Only then: an adapter's fields as a map may be a copy (OkHttp's is a tree of
            // lower-cased names, about a tenth of that adapter's bytes per call).
            told(engine, spec.method(), spec.uri(), done, head.headers());
        }
        return done;
    }

    /** {@link #completion} without telling anyone: the decision, or null when the full path must decide. */
    static Decision.Complete completes(PolicyEngine engine, String method, URI uri, ResponseFacts head) {
        Decision.Complete done = engine.decider().completion(method, uri, head.status());
        return done == null || Framing.problem(head) != null ? null : done;
    }

    /**
     * {@link #completes} for a head whose framing fields the adapter found itself: its
     * Content-Length lines ({@code null} or empty when none) and whether it has Transfer-Encoding.
     */
    static Decision.Complete completes(PolicyEngine engine, String method, URI uri, int status,
            java.util.List<String> contentLengths, boolean transferEncoding) {
        Decision.Complete done = engine.decider().completion(method, uri, status);
        return done == null || Framing.problem(contentLengths, transferEncoding) != null ? null : done;
    }

    /** Tells a listener the decision {@link #completes} made, as the full path does. */
    static void told(PolicyEngine engine, String method, URI uri, Decision done, java.util.Map<String, ?> headers) {
        PolicyListener listener = engine.listener();
        if (listener != PolicyListener.NONE) {
            listener.decisionMade(new PolicyEvent.DecisionMade(method, uri, done,
                    engine.clock().millis(), new ArrayList<>(headers.keySet())));
        }
    }

    /**
     * The response of a fast-path call reached the caller, nobody listening: the accounting
     * {@link Execution#delivered} does (with a listener the drivers let the call's execution
     * tell it instead), at {@code headMillis}, when its head was decided: the clock is not read
     * again for it (a clock read costs about a tenth of the fast path; budget windows count in
     * seconds).
     */
    static void delivered(PolicyEngine engine, URI uri, int status, long headMillis) {
        if (status > 0 && status < 500 && status != 429) {
            engine.decider().budget().recordSuccess(uri, 0, headMillis);
        }
    }
}
