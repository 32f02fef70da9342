package io.statuspolicy.jdk;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.DeadlineTimer;
import io.statuspolicy.http.Redaction;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.RawLocation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * One response of the JDK client, head arrived, body held unread in a {@link HeldBody} until the
 * engine says what it is for. When the engine decides to deliver while the client is still asking
 * for the head's body subscriber (a synchronous attempt whose head completes the call: the common
 * case), the client gets the caller's subscriber, under the call's deadline, directly, and no
 * held body is made ({@link #forClient}).
 */
final class JdkExchange<T> extends CompletableFuture<HttpResponse<T>>
        implements Exchange<HttpResponse<T>>, BiConsumer<T, Throwable> {
    /**
     * The caller's thread, blocked in the client's synchronous send (null on the asynchronous
     * path). Written and read only on the thread that decides the head (see {@link #deciding}):
     * a plain field, like the others below that are confined to that thread (a volatile write is
     * a full fence on x86, and the synchronous path used to make about fifteen per call).
     */
    private Thread sender;
    /** The deadline of a buffering caller's subscriber handed to the client as it is (see {@link #deliver}). */
    private volatile InterruptGuard guard;
    private final ResponseInfo info;
    private final HttpRequest request;
    private final BodyHandler<T> handler;
    /** The held body: made when the client needs a subscriber before the engine has said what the body is for. */
    private volatile HeldBody<T> held;
    /**
     * The thread on which the engine decides a synchronous head, inside the client's call of the
     * body handler, while it does: what that thread decides then (a delivery, a discard, a keep)
     * goes to the client directly. Anything decided on another thread (after a credential
     * refresh, say) goes through the held body, even while the client's call is still running.
     */
    private Thread deciding; // plain: only the thread that wrote it can find itself in it
    /** The caller's subscriber, guarded, handed to the client directly; with its delivery. */
    private volatile Bodies.Guarded<T> direct;
    /** A buffering caller's subscriber handed to the client as it is, under the interrupting guard. */
    private BodySubscriber<T> unguarded; // read only by forClient, on the deciding thread
    /** A bounded discard or keep decided at a synchronous head, handed to the client directly. */
    private volatile Bodies.Bounded bounded;
    /**
     * A discard decided at a synchronous head whose body is known to be empty: the client gets its
     * own discarding subscriber (no bound or deadline is needed for nothing; see {@link #discard}).
     * Plain: written and read on the deciding thread.
     */
    private boolean emptyDiscard;
    /**
     * Whether the caller's subscriber streams its body (not one of the JDK's buffering ones): a
     * body that breaks then has reached the caller. Written in {@link #deliver} before the
     * subscriber is handed to anyone (the client's send or the held body's monitor publishes it).
     */
    private boolean streaming;
    private CompletableFuture<T> directBody;
    /** The caller's subscriber for this head, made by the fast path before it handed the head over; used once. */
    private BodySubscriber<T> made;
    private volatile boolean aborted;
    /**
     * The JDK's future for the whole exchange (completes when the held body does), for an
     * asynchronous attempt; null for a synchronous one, whose response the transport sets in
     * {@link #sent} once the client's send returned (no future per attempt).
     */
    private final CompletableFuture<HttpResponse<T>> whole;
    /**
     * Written by the caller's thread once the client's send returned; read by {@link #sslSession}
     * and by the delivery: on the caller's thread when the send's end completes it (then it is
     * the response the caller gets, see {@link #accept}); on another thread it may be seen as
     * null, and the caller gets a {@link ReadResponse} instead. The JDK's response is immutable.
     */
    private HttpResponse<T> sent;
    /** Whether the body was handed on (once): a field set by compare-and-set, no object of its own. */
    private volatile boolean used;
    private static final VarHandle USED;
    private static final VarHandle HELD;

    static {
        try {
            USED = MethodHandles.lookup().findVarHandle(JdkExchange.class, "used", boolean.class);
            HELD = MethodHandles.lookup().findVarHandle(JdkExchange.class, "held", HeldBody.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private final HttpResponse<T> previous;

    JdkExchange(ResponseInfo info, HttpRequest request, BodyHandler<T> handler,
            CompletableFuture<HttpResponse<T>> whole, HttpResponse<T> previous) {
        this.info = info;
        this.request = request;
        this.handler = handler;
        this.whole = whole;
        this.previous = previous;
    }

    /** The held body, made once (by compare-and-set: the client's thread and the engine's may both ask). */
    HeldBody<T> held() {
        HeldBody<T> made = held;
        if (made != null) {
            return made;
        }
        HeldBody<T> fresh = new HeldBody<>();
        @SuppressWarnings("unchecked")
        HeldBody<T> raced = (HeldBody<T>) HELD.compareAndExchange(this, null, fresh);
        if (raced != null) {
            return raced;
        }
        if (aborted) {
            fresh.cancel(); // aborted before the body had a subscriber
        }
        return fresh;
    }

    /**
     * Marks the engine's decision on a synchronous head as being made on this thread, inside the
     * client's body handler call, for a send made on {@code caller}'s thread.
     */
    void deciding(boolean value, Thread caller) {
        deciding = value ? Thread.currentThread() : null;
        sender = caller;
    }

    /** Whether this thread is deciding the head inside the client's body handler call (see {@link #deciding}). */
    private boolean atHead() {
        return deciding == Thread.currentThread();
    }

    /** The subscriber the client gets for this head: the caller's, when delivered at once, else the held body. */
    @SuppressWarnings("unchecked")
    BodySubscriber<T> forClient() {
        BodySubscriber<T> plain = unguarded;
        if (plain != null) {
            return plain;
        }
        Bodies.Guarded<T> callers = direct;
        if (callers != null) {
            return callers;
        }
        if (emptyDiscard) {
            return (BodySubscriber<T>) (BodySubscriber<?>) HttpResponse.BodySubscribers.discarding();
        }
        Bodies.Bounded thrownAway = bounded;
        // A discard's or keep's "body" is never the caller's: the synchronous send's response is
        // used for its TLS session only, so its body's type does not matter.
        return thrownAway != null ? (BodySubscriber<T>) (BodySubscriber<?>) thrownAway : held();
    }

    /** Passes the body to a bounded discard or keep: directly when decided at a synchronous head, else through the held body. */
    private void attachBounded(Bodies.Bounded target) {
        if (atHead()) {
            bounded = target;
            if (aborted) {
                target.cancel();
            }
        } else {
            held().attach(target, false);
        }
    }

    @Override
    public int status() {
        return info.statusCode();
    }

    @Override
    public List<String> headerValues(String name) {
        return headerValues(info, name);
    }

    /** A head's values of one field as the decision function reads them: a raw UTF-8 {@code Location} percent-encoded. */
    static List<String> headerValues(ResponseInfo head, String name) {
        List<String> values = head.headers().allValues(name);
        return name.equalsIgnoreCase("Location") ? RawLocation.encodeAll(values) : values;
    }

    @Override
    public Map<String, List<String>> headers() {
        return info.headers().map();
    }

    @Override
    public CompletableFuture<HttpResponse<T>> deliver(BodyTap tap, long deadlineMillis) {
        once();
        BodySubscriber<T> callers = made != null ? made : handler.apply(info);
        made = null;
        boolean buffering = Bodies.buffering(callers);
        BodySubscriber<T> subscriber = tap == null ? callers : Bodies.tee(callers, tap);
        // The delivery is this exchange itself, completed from the caller's body (see accept),
        // not the JDK's future of the whole exchange, which completes on another thread.
        streaming = !buffering;
        if (deadlineMillis != Long.MAX_VALUE && atHead()) {
            // The client has no subscriber yet: it gets the caller's, guarded; the delivery
            // completes from the caller's body once the client's send returned (see sendEnded).
            directBody = callers.getBody().toCompletableFuture();
            Thread caller = sender;
            if (buffering && tap == null && caller != null) {
                // A buffering subscriber is complete when the client's send returns, so the
                // deadline can be the caller's thread's: the JDK gets its own subscriber as it
                // is, which it reads on its own thread (any other subscriber costs a hop to its
                // executor per response, about 20 us on loopback).
                unguarded = callers;
                InterruptGuard armed = new InterruptGuard(caller);
                guard = armed;
                armed.arm(deadlineMillis);
                if (aborted) {
                    armed.cancel();
                }
                return this;
            }
            Bodies.Guarded<T> guarded = Bodies.guarded(subscriber, deadlineMillis, request.uri());
            direct = guarded;
            if (aborted) {
                guarded.stop(new java.util.concurrent.CancellationException("the call was cancelled"));
            }
            return this;
        }
        HeldBody<T> body = held();
        subscriber = Bodies.withDeadline(subscriber, deadlineMillis, request.uri(), buffering ? body : null);
        body.attachCallers(subscriber, this, buffering);
        return this;
    }

    /**
     * The client's synchronous send ended, returning ({@code failure} null) or throwing: a body
     * delivered directly ends as the caller's body did, or, when the client gave up before the
     * caller's subscriber finished, with the client's failure.
     */
    boolean sendEnded(Throwable failure, boolean interrupted) {
        InterruptGuard armed = guard;
        boolean deadline = armed != null && armed.end();
        if (interrupted && !deadline) {
            return false; // someone else's interrupt: the call stops
        }
        if (deadline && failure == null) {
            failure = new HttpTimeoutException("the call's deadline passed while reading the response body of "
                    + Redaction.uri(request.uri()));
        }
        CompletableFuture<T> callers = directBody; // set only when the caller's body went to the client directly
        if (callers == null || isDone()) {
            return deadline;
        }
        if (!callers.isDone()) {
            if (failure == null) {
                callers.whenComplete(this); // a client that returned before the body ended
            } else {
                Bodies.Guarded<T> guarded = direct;
                if (guarded != null) {
                    guarded.stop(failure);
                }
                accept(null, failure);
            }
            return deadline;
        }
        T value;
        try {
            value = callers.getNow(null);
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            accept(null, e);
            return deadline;
        }
        accept(value, null);
        return deadline;
    }

    /**
     * The deadline of a buffering caller's subscriber that the client reads as it is: when it
     * passes while the caller's thread is still in the client's send, the timer interrupts that
     * thread (the JDK's send then cancels the exchange, which closes its connection). A small
     * entry of its own, so the timer, which keeps a disarmed entry until its next tick, holds
     * nothing of the exchange. States, moved by compare-and-set: armed, the timer interrupting,
     * the timer interrupted, over.
     */
    static final class InterruptGuard extends DeadlineTimer.Entry {
        private static final int ARMED = 0;
        private static final int INTERRUPTING = 1;
        private static final int INTERRUPTED = 2;
        private static final int OVER = 3;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(InterruptGuard.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /**
         * Plain: written before the guard is armed (the timer's stack is taken by compare-and-set,
         * which publishes it) and read by the timer only after it won the state's compare-and-set;
         * the nulling after a won disarm is never read by the timer.
         */
        private Thread sender;
        private volatile int state;

        InterruptGuard(Thread sender) {
            this.sender = sender;
        }

        /**
         * Ends the guard on the caller's thread once the client's send returned or threw (or the
         * call was aborted): disarms it, or, when the timer interrupted (or is interrupting) this
         * thread, waits for the interrupt to land and clears it. Whether the deadline interrupted.
         * An interrupt of the caller's own that lands in the same moment cannot be told from the
         * timer's and is cleared with it; the call then ends with the deadline's failure.
         */
        boolean end() {
            if (STATE.compareAndSet(this, ARMED, OVER)) {
                disarm();
                sender = null;
                return false;
            }
            int now;
            while ((now = state) == INTERRUPTING) {
                Thread.onSpinWait();
            }
            if (now != INTERRUPTED) {
                return false; // over already
            }
            state = OVER;
            Thread.interrupted(); // the timer's interrupt, not the caller's: cleared
            return true;
        }

        /** Disarms the guard if the timer has not fired (any thread: a cancel); never touches an interrupt. */
        void cancel() {
            if (STATE.compareAndSet(this, ARMED, OVER)) {
                disarm();
                sender = null;
            }
        }

        /** The deadline passed (the timer's thread): interrupts the caller's send, once. */
        @Override
        protected void expire() {
            if (STATE.compareAndSet(this, ARMED, INTERRUPTING)) {
                Thread caller = sender;
                if (caller != null) {
                    caller.interrupt();
                }
                state = INTERRUPTED;
            }
        }
    }

    /**
     * The caller's body ended: this exchange, as the delivery {@link #deliver} returned, completes
     * with the caller's response (or the body's failure). The delivery is the exchange itself, not
     * an object of its own: a delivery is made at most once per exchange ({@link #once}).
     */
    @Override
    public void accept(T body, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            completeExceptionally(new CompletionException(new BodyFailure(cause, streaming)));
        } else {
            // A first response whose client send has returned with this very body is the
            // JDK's own response as the bare client would have returned it: no copy.
            HttpResponse<T> own = sent;
            complete(own != null && previous == null && own.body() == body ? own
                    : new ReadResponse<>(info, request, body, previous, this));
        }
    }

    @Override
    public CompletableFuture<HttpResponse<T>> deliverStored(int status, Map<String, List<String>> headers,
            byte[] body) {
        once();
        held().attach(new Bodies.Bounded(0, Bodies.DISCARD_MILLIS, false), false);
        HttpHeaders stored = HttpHeaders.of(headers, (name, value) -> true);
        ResponseInfo storedInfo = new StoredInfo(status, stored, info.version());
        return Bodies.feed(handler.apply(storedInfo), body).toCompletableFuture()
                .thenApply(value -> new StoredResponse<>(status, stored, value, request, info.version(), previous));
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        Bodies.Bounded kept = new Bodies.Bounded(limit, timeoutMillis, true);
        attachBounded(kept);
        return kept.kept();
    }

    @Override
    public void discard() {
        if (USED.compareAndSet(this, false, true)) {
            if (atHead() && emptyBody()) {
                // The JDK's own discarding subscriber, which it trusts: no bound, no timer entry,
                // and no hand-off of getBody() to its executor (which any subscriber of ours costs).
                emptyDiscard = true;
                return;
            }
            attachBounded(new Bodies.Bounded(Bodies.DISCARD_BYTES, Bodies.DISCARD_MILLIS, false));
        }
    }

    /**
     * Whether this HTTP/1.1 response has no body to read: a 204 or 304, an answer to HEAD, or a
     * single {@code Content-Length: 0} (the framing check has refused one beside
     * {@code Transfer-Encoding}). The JDK frames an HTTP/1.1 body by its length and reads nothing
     * for these, so a discard needs no bound. HTTP/2 is left to the bounded discard: a stream may
     * carry data its length field denies.
     */
    private boolean emptyBody() {
        if (info.version() != HttpClient.Version.HTTP_1_1) {
            return false;
        }
        int status = info.statusCode();
        if (status == 204 || status == 304 || request.method().equals("HEAD")) {
            return true;
        }
        List<String> lengths = info.headers().allValues("Content-Length");
        return lengths.size() == 1 && lengths.get(0).equals("0");
    }

    @Override
    public void abort() {
        aborted = true;
        InterruptGuard armed = guard;
        if (armed != null) {
            armed.cancel(); // the call is over: the timer must not interrupt the thread later
        }
        HeldBody<T> body = held;
        if (body != null) {
            body.cancel();
        }
        Bodies.Guarded<T> callers = direct;
        if (callers != null) {
            callers.stop(new java.util.concurrent.CancellationException("the call was cancelled"));
        }
        Bodies.Bounded thrownAway = bounded;
        if (thrownAway != null) {
            thrownAway.cancel();
        }
        if (whole != null) {
            whole.cancel(true);
        }
    }

    /**
     * The caller's subscriber for this head, made already (by the fast path, which asked the
     * caller's handler before handing the head over): {@link #deliver} uses it instead of asking
     * the handler again. Set before the head is decided, on the deciding thread.
     */
    void callersSubscriber(BodySubscriber<T> subscriber) {
        made = subscriber;
    }

    /** A synchronous attempt's response, as the client's send returned it. */
    void sent(HttpResponse<T> response) {
        sent = response;
    }

    /**
     * The TLS session the exchange ran on, from the client's own response: asked only by
     * {@link ReadResponse#sslSession()}, once the caller has the response (by then a synchronous
     * send has returned, and an asynchronous exchange is over or about to be).
     */
    Optional<SSLSession> sslSession() {
        if (whole == null) {
            HttpResponse<T> response = sent;
            return response == null ? Optional.empty() : response.sslSession();
        }
        return whole.handle((response, error) -> response == null ? Optional.<SSLSession>empty()
                : response.sslSession()).join();
    }

    /** This response as the previous one of the next hop's ({@link HttpResponse#previousResponse()}). */
    HttpResponse<T> asPrevious() {
        return new StoredResponse<>(info.statusCode(), info.headers(), null, request, info.version(), previous);
    }

    private void once() {
        if (!USED.compareAndSet(this, false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }

    record StoredInfo(int statusCode, HttpHeaders headers, HttpClient.Version version) implements ResponseInfo {
    }
}
