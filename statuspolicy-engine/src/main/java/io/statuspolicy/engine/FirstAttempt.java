package io.statuspolicy.engine;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.event.PolicyListener;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * The engine's side of an adapter's synchronous first-attempt fast path (issue 14): the state
 * of a call that sends the caller's own request as it is and ends with its first response, kept
 * in an object that serves call after call, so that such a call allocates nothing of ours. An
 * adapter keeps these in a {@link Pool} (usually inside an object of its own that is also its
 * client's per-call callback), takes one per call, and:
 * <ol>
 *   <li>makes the call's facts readable through {@link #engine()}, {@link #method()} and the
 *       other accessors (from its own fields: the caller's request, its client), and drops them
 *       again in {@link #forget()};</li>
 *   <li>{@link #begin}s the call, which says whether the fast path applies (the same test as the
 *       engine's own: nothing the engine holds would change the first attempt); it records the
 *       request in the retry budget, tells a listener, and arms the call's deadline (counted as
 *       {@link PolicyEngine#startMillis} says: with nobody listening, from the timer's last tick
 *       plus one, so no clock is read and the call never ends early), which
 *       interrupts the calling thread if it passes while the client's send still runs (the
 *       caller's request goes out with its own timeout, so the deadline is kept here);</li>
 *   <li>sends the caller's request with its client's blocking send;</li>
 *   <li>at the head, asks {@link #completes}; when that gives a decision and the caller's body
 *       can be read inside the send, says {@link #completing} and lets the client read it;
 *       otherwise hands the head to the engine's driver ({@link #takeOver}) as if the engine had
 *       sent the attempt;</li>
 *   <li>once the send ended, {@link #end}s the deadline, and either says {@link #delivered} and
 *       returns the client's response, or lets the taken-over driver go on.</li>
 * </ol>
 * Whatever the fast path cannot finish, the engine's full path does from where it stands, with
 * the same decisions, events, budget accounting and failures. The asynchronous path has no
 * such object: it keeps the engine's own first-attempt path.
 *
 * <p>Not thread-safe: one call at a time, between {@link Pool#take} and {@link #free} (or
 * {@link #retire}); its deadline is the one part the timer thread touches.
 */
public abstract class FirstAttempt extends DeadlineTimer.Watch {
    // Only numbers here: this object lives long (pooled), so a reference written into it on every
    // call costs a garbage collector's write barrier, with G1 a full fence each time the stored
    // object is in another region (almost always); a dozen of those were about 15 ns of the JDK
    // path (A0 under G1 against the serial collector, docs/benchmarks.md section Q). The call's
    // facts are the adapter's (see engine() and the others), which it already keeps.
    private long startMillis;
    private long deadlineMillis;
    private long headMillis;
    /** The status {@link #completing} delivers, or 0: the decision is found again from it, not kept. */
    private int completed;

    protected FirstAttempt() {
    }

    /** The call's engine, from {@link #begin} until this object is given back. */
    protected abstract PolicyEngine engine();

    /** The caller's method. */
    protected abstract String method();

    /** The caller's URI, as the request is sent. */
    protected abstract URI uri();

    /** The caller's header fields. */
    protected abstract Map<String, List<String>> headers();

    /** Whether the caller's request has a body (one the client can send again as it is). */
    protected abstract boolean hasBody();

    /** Whether that body's length is known before it is sent. */
    protected abstract boolean lengthKnown();

    /** The call's options. */
    protected abstract CallOptions options();

    /**
     * Drops the call's objects that this object must not keep alive between calls (the caller's
     * request, its handler, the client): called by this class just before it gives this object
     * back ({@link #release}, {@link #deliveredQuietly}, {@link #discard}), after its last use of
     * the accessors. What it keeps (immutable options, say) must be harmless to keep.
     */
    protected abstract void forget();

    /**
     * Starts a call on the fast path, on the calling thread, with the facts the accessors give
     * (which must stay the same until this object is given back): false (and nothing done) when
     * the engine's full path must run it. The caller's request is sent as it is, so its URI has
     * no fragment and its body, when it has one, can be sent again as it is.
     */
    public final boolean begin() {
        PolicyEngine engine = engine();
        String method = method();
        URI uri = uri();
        if (uri.getRawFragment() != null || !uri.isAbsolute() || !PlainStart.applies(engine, method, uri)) {
            return false;
        }
        completed = 0;
        long start = engine.startMillis();
        startMillis = start;
        long deadline = engine.decider().deadlineMillis(method, uri, options().deadline(), engine.deadlineBase(start));
        deadlineMillis = deadline;
        PlainStart.started(engine, method, uri, headers(), start);
        Thread caller = Thread.currentThread();
        if (deadline != Long.MAX_VALUE) {
            arm(caller, Math.max(0, deadline - start));
        } else {
            bind(caller);
        }
        return true;
    }

    /** The thread that began the call, until its deadline ended ({@link #endDeadline}). */
    protected final Thread caller() {
        return boundThread();
    }

    /** The decision for the first head when it completes the call at once; null when the engine must decide. Tells nobody. */
    public final Decision.Complete completes(ResponseFacts head) {
        return PlainStart.completes(engine(), method(), uri(), head);
    }

    /**
     * {@link #completes(ResponseFacts)} for an adapter that found the head's framing fields itself
     * in one pass over its client's fields (cheaper than two case-insensitive look-ups): the
     * Content-Length field lines ({@code null} or empty when there are none; several lines, or
     * one with commas, are checked as the engine checks them) and whether a Transfer-Encoding
     * field is present.
     */
    public final Decision.Complete completes(int status, List<String> contentLengths, boolean transferEncoding) {
        return PlainStart.completes(engine(), method(), uri(), status, contentLengths, transferEncoding);
    }

    /**
     * {@link #completes(int, List, boolean)} for an adapter whose pass over the head's fields
     * judged the Content-Length lines as it met them ({@link #soundLengths}) and kept only the
     * verdict: {@code lengths} says whether the head has Content-Length lines and
     * {@code soundLengths} whether they are sound. Same answer, without holding the lines.
     */
    public final Decision.Complete completes(int status, boolean lengths, boolean soundLengths,
            boolean transferEncoding) {
        Decision.Complete done = engine().decider().completion(method(), uri(), status);
        return done == null || (lengths && (transferEncoding || !soundLengths)) ? null : done;
    }

    /** Whether a head's Content-Length lines (non-empty) are sound alone, as {@link #completes} judges them. */
    public static boolean soundLengths(List<String> lines) {
        return Framing.problem(lines, false) == null;
    }

    /**
     * The fast path delivers the first response with {@code done} (from {@link #completes}):
     * told to a listener as the engine tells it. {@code headerFields} are the head's, for the event.
     */
    public final void completing(Decision.Complete done, Map<String, ?> headerFields) {
        completed = done.status();
        PolicyEngine engine = engine();
        if (engine.listener() == PolicyListener.NONE) {
            // Nobody to tell when: the success is credited at the call's start (budget windows
            // count in seconds; a clock read was about a tenth of this path), not read again.
            headMillis = startMillis;
        } else {
            headMillis = engine.clock().millis();
            PlainStart.told(engine, method(), uri(), done, headerFields);
        }
    }

    /**
     * Ends the call's deadline once the client's send ended (on the calling thread): whether the
     * deadline passed and interrupted the send (that interrupt is cleared).
     */
    public final boolean endDeadline() {
        return end();
    }

    /** The response {@link #completing} chose reached the caller: counted, and told when someone listens. */
    public final void delivered() {
        PolicyEngine engine = engine();
        if (engine.listener() == PolicyListener.NONE) {
            PlainStart.delivered(engine, uri(), completed, headMillis);
        } else {
            new Execution<>(engine, spec(true), null).afterPlainStart(startMillis, deadlineMillis).delivered(decision());
        }
    }

    /** The decision {@link #completing} was given, found again (the decider gives the same object); null before it. */
    private Decision.Complete decision() {
        return completed == 0 ? null : engine().decider().completion(method(), uri(), completed);
    }

    /**
     * The client's send returned the response {@link #completing} chose, and nobody listens:
     * {@link #delivered}, then the deadline ended and this object given back to its pool
     * ({@link #forget}, then {@link #endDeadline} and {@link #release} in one compare-and-set); the
     * adapter must not touch this object afterwards.
     * False, and nothing done, when someone listens: the adapter ends the deadline first, then
     * says {@link #delivered} (a listener is not called with the deadline's interrupt pending).
     */
    public final boolean deliveredQuietly() {
        PolicyEngine engine = engine();
        if (engine.listener() != PolicyListener.NONE) {
            return false;
        }
        // Before the deadline ends: an interrupt of the deadline's meanwhile is cleared below, and
        // the response is the caller's, as when it passes just after the send returned.
        PlainStart.delivered(engine, uri(), completed, headMillis);
        forget();
        endAndFree();
        return true;
    }

    /**
     * Hands the call to the engine's driver, which goes on over {@code transport} as if it had sent
     * the first attempt itself. The adapter reports the head in flight (if any) to the result's
     * {@link Continuation#onHead()}, then calls one of its {@code resume} methods once the send ended.
     */
    public final <R> Continuation<R> takeOver(Transport<R> transport, boolean replayable) {
        SyncDriver<R> driver = new SyncDriver<>(engine(), spec(replayable), transport, startMillis, deadlineMillis,
                headMillis);
        return new Continuation<>(driver, decision());
    }

    /** Drops what the last call left ({@link #forget}) and gives this object back to its pool (after {@link #endDeadline}). */
    public final void release() {
        forget();
        free();
    }

    /** Never uses this object again: for a call whose client may still call back into it later. */
    public final void discard() {
        forget();
        retire();
    }

    private CallSpec spec(boolean replayable) {
        return new CallSpec(method(), uri(), headers(), hasBody(), replayable, lengthKnown(), options());
    }

    /**
     * A {@link FirstAttempt} that keeps the call's facts in fields of its own, for an adapter (or
     * a test) whose per-call object holds none of them: {@link #begin(PolicyEngine, String, URI,
     * Map, boolean, boolean, CallOptions)} writes them and begins. Each is a reference written on
     * every call (see the note at the top of {@link FirstAttempt}); an adapter whose object
     * already holds the caller's request derives them from it instead.
     */
    public static class Kept extends FirstAttempt {
        private PolicyEngine engine;
        private String method;
        private URI uri;
        private Map<String, List<String>> headers;
        private boolean hasBody;
        private boolean lengthKnown;
        private CallOptions options;

        /** Keeps the facts and {@link #begin()}s: false when the full path must run the call (then {@link #release} it). */
        public final boolean begin(PolicyEngine engine, String method, URI uri, Map<String, List<String>> headers,
                boolean hasBody, boolean lengthKnown, CallOptions options) {
            this.engine = engine;
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.hasBody = hasBody;
            this.lengthKnown = lengthKnown;
            this.options = options;
            return begin();
        }

        @Override
        protected final PolicyEngine engine() {
            return engine;
        }

        @Override
        protected final String method() {
            return method;
        }

        @Override
        protected final URI uri() {
            return uri;
        }

        @Override
        protected final Map<String, List<String>> headers() {
            return headers;
        }

        @Override
        protected final boolean hasBody() {
            return hasBody;
        }

        @Override
        protected final boolean lengthKnown() {
            return lengthKnown;
        }

        @Override
        protected final CallOptions options() {
            return options;
        }

        @Override
        protected void forget() {
            engine = null;
            method = null;
            uri = null;
            headers = null;
            options = null;
        }
    }

    /** A call the engine's driver took over from the fast path. */
    public static final class Continuation<R> {
        private final SyncDriver<R> driver;
        private final Decision decision;

        Continuation(SyncDriver<R> driver, Decision decision) {
            this.driver = driver;
            this.decision = decision;
        }

        /** Where the first attempt's head goes, when it arrives after the take-over. */
        public java.util.function.Consumer<Exchange<R>> onHead() {
            return driver;
        }

        /**
         * The first attempt's send ended: returned ({@code failure} null: the head was reported
         * to {@link #onHead()}) or threw {@code failure} (an {@code InterruptedException} ends the
         * call as an interrupt does). Runs the rest of the call and returns its response.
         */
        public R resume(Throwable failure) throws IOException, InterruptedException {
            return driver.resume(failure);
        }

        /**
         * The fast path delivered the first response ({@link #completing}) and its body failed
         * with {@code error} (a {@link BodyFailure}): decided as the engine decides a failed body.
         */
        public R resumeAfterBody(Throwable error) throws IOException, InterruptedException {
            return driver.resumeAfterBody(decision, error);
        }
    }

    /**
     * A fixed set of reusable objects for the fast path, shared by every client of one adapter:
     * a thread takes the one its id points at, or one of the next few, with one compare-and-set;
     * when all of those are in use the call takes the engine's full path. Made lazily.
     *
     * @param <S> the adapter's type
     */
    public static final class Pool<S extends FirstAttempt> {
        private static final int PROBES = 4;
        private final AtomicReferenceArray<S> slots;
        private final Supplier<S> factory;
        private final int mask;

        /** A pool of {@code size} objects (rounded up to a power of two), made by {@code factory} when first needed. */
        public Pool(int size, Supplier<S> factory) {
            int rounded = Integer.highestOneBit(Math.max(PROBES, size) - 1) << 1;
            this.slots = new AtomicReferenceArray<>(rounded);
            this.factory = factory;
            this.mask = rounded - 1;
        }

        /** A pool sized for this machine: eight per processor, at least 64. */
        public Pool(Supplier<S> factory) {
            this(Math.max(64, 8 * Runtime.getRuntime().availableProcessors()), factory);
        }

        /** One object for a call on this thread, taken; null when none is free. */
        public S take() {
            long id = Thread.currentThread().getId();
            int at = (int) ((id * 0x9E3779B97F4A7C15L) >>> 40);
            for (int probe = 0; probe < PROBES; probe++) {
                int index = (at + probe) & mask;
                S slot = slots.get(index);
                if (slot == null || slot.retired()) {
                    S made = factory.get();
                    if (!slots.compareAndSet(index, slot, made)) {
                        made.retire(); // lost a race: the slot has another
                        continue;
                    }
                    slot = made;
                }
                if (slot.take()) {
                    return slot;
                }
            }
            return null;
        }
    }
}
