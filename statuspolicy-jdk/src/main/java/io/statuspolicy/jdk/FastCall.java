package io.statuspolicy.jdk;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.FirstAttempt;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The synchronous first-attempt fast path over {@code java.net.http} (issue 14): the caller's
 * request goes to the JDK's blocking send ({@link BlockingSend}) as it is, with this object as its body handler, and
 * when the first head completes the call and the caller's subscriber is one of the JDK's
 * buffering ones, the JDK gets that subscriber as it is and the caller gets the JDK's own
 * response: nothing of ours is allocated. The call's deadline is the engine's
 * ({@link FirstAttempt}): it interrupts the caller's thread in the JDK's send, which cancels the
 * exchange (closing its connection), and the failure is decided as the engine decides a head
 * timeout or a failed body. Anything else (a head that needs a decision, a streaming subscriber,
 * a failure) is handed to the engine's driver with a {@link JdkTransport} in the state its own
 * send would have left, and the call goes on there.
 *
 * <p>Pooled ({@link #POOL}): one call at a time. A late call of {@link #apply} (the JDK may still
 * report a head after the send was interrupted) finds the call abandoned and gets a discarding
 * subscriber; the object is then never used again.
 */
abstract class FastCall extends FirstAttempt implements BodyHandler<Object>, BiConsumer<String, List<String>> {
    static final FirstAttempt.Pool<FastCall> POOL = new FirstAttempt.Pool<>(Padded::new);

    private static final int SENDING = 0;
    private static final int IN_HEAD = 1;
    private static final int HEAD_DONE = 2;
    private static final int ABANDONED = 3;
    private static final VarHandle PHASE;

    static {
        try {
            PHASE = MethodHandles.lookup().findVarHandle(FastCall.class, "phase", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Where the head is: the caller and {@link #apply} settle by compare-and-set who has a late head. */
    private volatile int phase;
    // Written by the caller before the JDK's send, which hands them to whatever thread reports the
    // head; what that thread writes is read by the caller once the send returned (the JDK's future
    // orders the two) or, when it threw, once the phase says the head was handled. The call's
    // facts for the engine (its engine, method, URI, fields) are read from the first two; the
    // thread is the deadline's ({@link #caller()}). Three references a call: see FirstAttempt's
    // note on write barriers.
    private PolicyHttpClient client;
    private HttpRequest request;
    private BodyHandler<Object> handler;
    /** Kept between calls (immutable, most often the default): written only when it changes. */
    private CallOptions options;
    private boolean hasBody;
    private boolean lengthKnown;
    private boolean delivering;
    private JdkTransport<Object> transport;
    private FirstAttempt.Continuation<HttpResponse<Object>> continuation;
    // The head's framing, judged in one pass over its fields (see completion), on the thread
    // that reports the head: verdicts only, no reference to the head's lists (a reference written
    // into this long-lived object costs a write barrier's fence: see FirstAttempt's note).
    private boolean lengths;
    private boolean soundLengths;
    private boolean transferEncoding;

    /**
     * Up to this many header fields, the framing check walks them once instead of looking two
     * names up: each look-up in the JDK's case-insensitive tree compares names letter by letter
     * without regard to case, a few times over, which made it a fifth of this path's cost.
     */
    private static final int SCAN_LIMIT = 16;

    private FastCall() {
    }

    /**
     * A {@link FastCall} with a cache line of unused fields after its own, the only kind made: a
     * subclass's fields come after its superclass's, so these end the object. Every call writes
     * the fields just above; without the gap, whatever long-lived object the JVM placed right
     * after this one shared their line: when that object is one every thread reads on every call
     * (which one it was is not known; the budget's window or bank is a likely one), two threads
     * over one client took 2 to 4 times as long in some JVM runs and not in others (issue 14,
     * docs/benchmarks.md section P). {@link FirstAttempt}'s
     * own padding guards the start.
     */
    static final class Padded extends FastCall {
        long t0;
        long t1;
        long t2;
        long t3;
        long t4;
        long t5;
        long t6;
        long t7;
    }

    /**
     * Runs the call when the fast path applies; null (nothing sent, this object given back) when
     * the engine's full path must run it. The request's body, if any, is one the JDK replays.
     */
    @SuppressWarnings("unchecked")
    <T> HttpResponse<T> send(PolicyHttpClient client, HttpRequest request, RequestBody body, BodyHandler<T> handler,
            CallOptions options) throws IOException, InterruptedException {
        this.client = client;
        this.request = request; // sent as it is
        this.handler = (BodyHandler<Object>) (BodyHandler<?>) handler;
        if (this.options != options) {
            this.options = options;
        }
        this.hasBody = body.present();
        this.lengthKnown = body.lengthKnown();
        this.delivering = false;
        boolean begun;
        try {
            begun = begin();
        } catch (RuntimeException | Error e) { // a listener or budget that threw: this object stays usable
            endDeadline();
            release();
            throw e;
        }
        if (!begun) {
            release();
            return null;
        }
        PHASE.setRelease(this, SENDING);
        HttpResponse<Object> response = null;
        Throwable failure = null;
        try {
            response = client.sendToDelegate(request, this);
        } catch (InterruptedException | IOException | RuntimeException | Error e) {
            failure = e;
        }
        if (failure == null && phase == HEAD_DONE && delivering && deliveredQuietly()) {
            return (HttpResponse<T>) response; // the common end: the deadline ended and this object freed in one step
        }
        return (HttpResponse<T>) finish(response, failure);
    }

    /**
     * The rest of a call that did not take {@link #send}'s common end: a listener to tell, a
     * head the engine decides, a failure. Apart from {@link #send} so that the common path stays
     * small enough for the JIT to compile into its caller.
     */
    private HttpResponse<Object> finish(HttpResponse<Object> response, Throwable failure)
            throws IOException, InterruptedException {
        boolean abandoned = false;
        if (failure != null || phase == SENDING) {
            abandoned = PHASE.compareAndSet(this, SENDING, ABANDONED);
            while (phase == IN_HEAD) {
                Thread.onSpinWait(); // the head is being decided on the client's thread: a few microseconds
            }
        }
        // After the head settled: a head decided meanwhile reads the deadline's thread (caller()).
        boolean deadline = endDeadline();
        if (deadline && failure instanceof InterruptedException) {
            failure = new HttpTimeoutException("the call's deadline passed " + (abandoned ? "before the response head"
                    : "while reading the response body") + " of " + Redaction.uri(request.uri()));
        }
        if (!abandoned && delivering) {
            if (failure == null) {
                delivered();
                release();
                return response;
            }
            FirstAttempt.Continuation<HttpResponse<Object>> rest = takeOver(newTransport(), true);
            release();
            if (failure instanceof InterruptedException || failure instanceof Error) {
                return rest.resume(failure);
            }
            return rest.resumeAfterBody(new BodyFailure(failure, false));
        }
        JdkTransport<Object> adopted = transport;
        FirstAttempt.Continuation<HttpResponse<Object>> rest = continuation;
        if (rest == null) { // no head came: the failure is the first attempt's
            rest = takeOver(newTransport(), true);
        } else if (failure == null) {
            adopted.sendReturned(response);
        } else if (failure instanceof InterruptedException) {
            if (adopted.sendInterrupted()) {
                failure = null; // the body's own deadline: its delivery fails, the call goes on
            }
        } else {
            adopted.sendFailed(failure);
        }
        if (abandoned) {
            discard(); // the client may still call apply: this object is not used again
        } else {
            release();
        }
        return rest.resume(failure);
    }

    private JdkTransport<Object> newTransport() {
        return new JdkTransport<>(client, request, handler, null, RequestBody.now(request));
    }

    @Override
    protected PolicyEngine engine() {
        return client.engine();
    }

    @Override
    protected String method() {
        return request.method();
    }

    @Override
    protected URI uri() {
        return request.uri();
    }

    @Override
    protected Map<String, List<String>> headers() {
        return request.headers().map();
    }

    @Override
    protected boolean hasBody() {
        return hasBody;
    }

    @Override
    protected boolean lengthKnown() {
        return lengthKnown;
    }

    @Override
    protected CallOptions options() {
        return options;
    }

    /** Drops the caller's objects (the options stay: immutable, and most often the default). */
    @Override
    protected void forget() {
        client = null;
        request = null;
        handler = null;
        transport = null;
        continuation = null;
    }

    /** The first head (on whatever thread the JDK reports it): the caller's subscriber as it is, or the engine's say. */
    @Override
    @SuppressWarnings("unchecked")
    public BodySubscriber<Object> apply(ResponseInfo head) {
        if (!PHASE.compareAndSet(this, SENDING, IN_HEAD)) {
            return (BodySubscriber<Object>) (BodySubscriber<?>) BodySubscribers.discarding(); // abandoned
        }
        try {
            Decision.Complete done = completion(head);
            BodySubscriber<Object> made = null;
            if (done != null) {
                try {
                    made = handler.apply(head);
                } catch (RuntimeException e) {
                    made = null; // the engine asks again and fails the call as its own path does
                }
                if (made != null && Bodies.buffering(made)) {
                    completing(done, head.headers().map());
                    delivering = true;
                    return made;
                }
            }
            JdkTransport<Object> adopted = newTransport();
            FirstAttempt.Continuation<HttpResponse<Object>> rest = takeOver(adopted, true);
            adopted.adopt(request, rest.onHead(), caller());
            transport = adopted;
            continuation = rest;
            return adopted.apply(head, made);
        } finally {
            PHASE.setRelease(this, HEAD_DONE);
        }
    }

    /** {@link #completes} for the head, its framing fields found in one pass when they are few. */
    private Decision.Complete completion(ResponseInfo head) {
        Map<String, List<String>> fields = head.headers().map();
        if (fields.size() > SCAN_LIMIT) {
            return completes(new HeadFacts(head));
        }
        lengths = false;
        soundLengths = true;
        transferEncoding = false;
        fields.forEach(this);
        return completes(head.statusCode(), lengths, soundLengths, transferEncoding);
    }

    /** One header field of the head, in {@link #completion}'s pass: notes the framing fields. */
    @Override
    public void accept(String name, List<String> values) {
        int length = name.length();
        if (length == 14 && isNamed(name, "Content-Length", "content-length")) {
            if (!values.isEmpty()) { // the map has one entry per name: one verdict for all its lines
                lengths = true;
                soundLengths = soundLengths(values);
            }
        } else if (length == 17 && isNamed(name, "Transfer-Encoding", "transfer-encoding")) {
            transferEncoding = !values.isEmpty();
        }
    }

    /**
     * Whether the field name {@code name} is {@code canonical} without regard to case: its two
     * usual spellings (as registered, and HTTP/2's lower case) by plain comparison first, which
     * the JIT makes a few word compares, before the letter-by-letter case-insensitive one (about
     * 4 ns of this path's cost for the Content-Length every head has: A0, issue 14).
     */
    static boolean isNamed(String name, String canonical, String lowerCase) {
        return name.equals(canonical) || name.equals(lowerCase) || name.length() == canonical.length()
                && name.regionMatches(true, 0, canonical, 0, canonical.length());
    }

    /** A head with many fields, as the engine reads it (made only for such a head). */
    private record HeadFacts(ResponseInfo info) implements ResponseFacts {
        @Override
        public int status() {
            return info.statusCode();
        }

        @Override
        public List<String> headerValues(String name) {
            return JdkExchange.headerValues(info, name);
        }
    }
}
