package io.statuspolicy.engine;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Carries out a call's steps on the caller's thread: sends with the transport's blocking send,
 * sleeps with the engine's sleeper, waits for a refresh no longer than the time left. What is
 * decided at a head (deliver, discard, keep, hold while refreshing) starts at once, on the
 * thread the client reports the head on, so a client whose blocking send returns only when the
 * body is consumed keeps its fast path. An interrupt at any point aborts the exchange in flight
 * and ends the call.
 */
final class SyncDriver<R> implements Consumer<Exchange<R>> {
    private final PolicyEngine engine;
    private final CallSpec spec;
    private final Transport<R> transport;
    /**
     * The call's state machine: made before the first attempt, or, for a call on the fast path
     * ({@link PlainStart}), only when its first head needs more than "complete" or its first
     * attempt failed (see {@link #execution()}).
     */
    private Execution<R> execution;
    /** For a call on the fast path: when it started and must be over, on the engine's clock. */
    private long startMillis;
    private long deadlineMillis;
    private long headMillis;
    private volatile Exchange<?> current;
    /**
     * Set once the call ended by a failure (an interrupt, say) before reading {@link #current}: a
     * head the client reports after that (see {@link #accept}) is aborted, never decided. The two
     * volatile fields, written and read in opposite orders, make sure one side sees the other.
     */
    private volatile boolean over;
    // What the last head (or step) started, read once the send returns: a response being
    // delivered (the common case: no future of ours is made for it) with the decision it carries
    // out, or else a future of where it leads. Written on the thread the client reports the head
    // on, before its send returns.
    private Decision delivering;
    private CompletableFuture<R> body;
    private CompletableFuture<Next> started;
    /** A next step that needs nothing of the exchange (another attempt, a wait): kept as it is, no future made. */
    private Execution.Step ready;
    private boolean headCame;

    SyncDriver(PolicyEngine engine, CallSpec spec, Transport<R> transport) {
        this.engine = engine;
        this.spec = spec;
        this.transport = transport;
    }

    /** The call's state machine, taking over from the fast path when the call is on it. */
    private Execution<R> execution() {
        Execution<R> made = execution;
        if (made == null) {
            made = new Execution<>(engine, spec, transport).afterPlainStart(startMillis, deadlineMillis);
            execution = made;
        }
        return made;
    }

    /**
     * The call ended without a decision: told to the state machine. A call on the fast path has
     * nothing to tell unless someone listens.
     */
    private void ended() {
        if (execution != null || engine.listener() != PolicyListener.NONE) {
            execution().ended();
        }
    }

    /** The response reached the caller: counted, and told when someone listens. */
    private void delivered(Decision decision) {
        if (execution == null && engine.listener() == PolicyListener.NONE) {
            PlainStart.delivered(engine, spec.uri(), decision.status(), headMillis);
        } else {
            execution().delivered(decision);
        }
    }

    /** Where a step that began at a head leads: the caller's response, an error, or the next step. */
    private record Next(Object response, Throwable error, Execution.Step step) {
        static Next of(Execution.Step step) {
            return new Next(null, null, step);
        }
    }

    /**
     * A call whose first attempt an adapter's fast path ({@link FirstAttempt}) sent itself, at
     * {@code startMillis}: the driver takes over in the state that sending would have left (on
     * the fast path, no execution yet), through {@link #accept} for a head still being reported,
     * then {@link #resume}; or {@link #resumeAfterBody} when the fast path delivered and the
     * body failed.
     */
    SyncDriver(PolicyEngine engine, CallSpec spec, Transport<R> transport, long startMillis, long deadlineMillis,
            long headMillis) {
        this(engine, spec, transport);
        this.startMillis = startMillis;
        this.deadlineMillis = deadlineMillis;
        this.headMillis = headMillis;
    }

    R run() throws IOException, InterruptedException {
        try {
            Execution.Step step;
            if (PlainStart.applies(engine, spec)) {
                startMillis = engine.startMillis();
                deadlineMillis = PlainStart.deadline(engine, spec, startMillis);
                step = PlainStart.attempt(engine, spec, startMillis, deadlineMillis);
            } else {
                execution = new Execution<>(engine, spec, transport);
                step = execution.begin();
            }
            return loop(step);
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * Goes on after the adapter's own send of the first attempt ended: returned ({@code failure}
     * null) or threw {@code failure}, with the head, when it came, handed to {@link #accept}.
     */
    R resume(Throwable failure) throws IOException, InterruptedException {
        try {
            sendEnded(failure);
            return loop(null);
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /**
     * Goes on after the fast path delivered the first response with {@code decision} and its body
     * failed ({@code error}, as the exchange's delivery would have failed).
     */
    R resumeAfterBody(Decision decision, Throwable error) throws IOException, InterruptedException {
        try {
            return loop(execution().onBodyFailure(decision, error));
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            throw failed(e);
        }
    }

    /** Ends the call on what the loop threw: the exchange in flight aborted, the end told. */
    private IOException failed(Exception or) throws IOException, InterruptedException {
        over = true;
        abortCurrent();
        ended();
        if (or instanceof InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw interrupted;
        }
        if (or instanceof ExecutionException e) {
            throw rethrow(e.getCause());
        }
        throw (RuntimeException) or;
    }

    private IOException failed(Throwable e) throws IOException, InterruptedException {
        if (e instanceof Error error) {
            over = true;
            abortCurrent();
            ended();
            throw error;
        }
        return failed((Exception) e);
    }

    /**
     * The steps from {@code step} on; a null {@code step} starts by reading what the last head
     * left in the fields (for a call taken over after its first send).
     */
    @SuppressWarnings("unchecked")
    private R loop(Execution.Step step) throws IOException, InterruptedException, ExecutionException {
        while (true) {
            if (step != null) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (step instanceof Attempt attempt) {
                    send(attempt);
                } else if (step instanceof Execution.Wait wait) {
                    engine.sleeper().sleep(Duration.ofMillis(wait.millis()));
                    step = execution().onWaited();
                    continue;
                } else if (step instanceof Execution.AwaitProbe await) {
                    try {
                        await.ended().get(await.maxMillis(), TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.TimeoutException | ExecutionException | CancellationException e) {
                        // checked again, whatever ended the wait
                    }
                    step = execution().onWaited();
                    continue;
                } else if (step instanceof Execution.Abort abort) {
                    ended();
                    throw rethrow(abort.error());
                } else {
                    start(step);
                }
            }
            Decision decision = delivering;
            if (decision != null) {
                CompletableFuture<R> response = body;
                delivering = null;
                body = null;
                R value;
                try {
                    value = response.get();
                } catch (ExecutionException e) {
                    step = execution().onBodyFailure(decision, e.getCause());
                    continue;
                } catch (CancellationException e) {
                    step = execution().onBodyFailure(decision, e);
                    continue;
                }
                delivered(decision);
                return value;
            }
            Execution.Step then = ready;
            if (then != null) {
                ready = null;
                step = then;
                continue;
            }
            CompletableFuture<Next> leads = started;
            started = null;
            Next next = leads.get();
            if (next.error() != null) {
                throw rethrow(next.error());
            }
            if (next.step() == null) {
                return (R) next.response();
            }
            step = next.step();
        }
    }

    /** Sends; what the head started, or, when no head came, what the failure leads to, is left in the fields. */
    private void send(Attempt attempt) throws InterruptedException {
        headCame = false;
        Throwable failure = null;
        try {
            transport.send(attempt, this);
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        sendEnded(failure);
    }

    /** The client's send returned ({@code failure} null) or threw: what the failure leads to, when no head came, is left in the fields. */
    private void sendEnded(Throwable failure) throws InterruptedException {
        if (failure instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        if (failure != null) {
            afterFailure((Exception) failure);
        } else if (!headCame) {
            afterFailure(new IOException("the client's send returned without a response head"));
        }
    }

    /** The head arrived (on whatever thread the client reports it): decide, and start what that asks. */
    @Override
    public void accept(Exchange<R> exchange) {
        current = exchange;
        if (over) {
            // The call ended (its send was interrupted, say) before the client reported this head:
            // nobody will read what a decision would start, so the exchange goes, undecided.
            exchange.abort();
            return;
        }
        headCame = true;
        try {
            if (execution == null) {
                Decision.Complete done = PlainStart.completion(engine, spec, exchange);
                if (done != null) { // the fast path's first head completes the call
                    headMillis = engine.startMillis(); // the timer's last tick when nobody listens: no clock read
                    deliver(exchange, done, null, Math.max(0, deadlineMillis - headMillis));
                    return;
                }
            }
            start(execution().onExchange(exchange));
        } catch (RuntimeException | Error e) {
            delivering = null;
            body = null;
            ready = null;
            started = CompletableFuture.completedFuture(new Next(null, e, null));
        }
    }

    private void afterFailure(Exception error) {
        // When the head came, the body's own future says how it ended; else the failure is decided.
        if (!headCame) {
            leadTo(execution().onFailure(error));
        }
    }

    /** Starts a step: a delivery is left in the fields as it is, anything else as a future of where it leads. */
    @SuppressWarnings("unchecked")
    private void start(Execution.Step step) {
        if (step instanceof Execution.Deliver deliver) {
            deliver((Exchange<R>) deliver.exchange(), deliver.decision(), deliver.tap(), deliver.deadlineMillis());
        } else {
            leadTo(step);
        }
    }

    /** Leaves what a step leads to for the loop: the step itself when it needs nothing of the exchange. */
    private void leadTo(Execution.Step step) {
        if (step instanceof Attempt || step instanceof Execution.Wait || step instanceof Execution.AwaitProbe
                || step instanceof Execution.Abort) {
            ready = step;
        } else {
            started = atHead(step);
        }
    }

    /** Hands the response to the caller; what it leads to is read once the send returns. */
    private void deliver(Exchange<R> exchange, Decision decision, BodyTap tap, long deadline) {
        if (current != exchange) { // the fast path's head set it already: no second volatile write
            current = exchange;
        }
        body = exchange.deliver(tap, deadline);
        delivering = decision;
    }

    /**
     * Starts what a step decided at a head asks of the exchange (deliver, keep, refresh), without
     * blocking; the future says where it leads. Steps that need nothing of the exchange lead to
     * themselves.
     */
    @SuppressWarnings("unchecked")
    private CompletableFuture<Next> atHead(Execution.Step step) {
        if (step instanceof Execution.Deliver deliver) {
            current = deliver.exchange();
            return ((CompletableFuture<R>) deliver.exchange().deliver(deliver.tap(), deliver.deadlineMillis()))
                    .handle((response, error) -> {
                        if (error == null) {
                            execution().delivered(deliver.decision());
                            return new Next(response, null, null);
                        }
                        return Next.of(execution().onBodyFailure(deliver.decision(), error));
                    });
        }
        if (step instanceof Execution.DeliverStored stored) {
            current = stored.exchange();
            CachedResponse copy = stored.copy();
            return ((CompletableFuture<R>) stored.exchange().deliverStored(copy.status(), copy.headers(), copy.body()))
                    .handle((response, error) -> {
                        if (error == null) {
                            execution().delivered(stored.decision());
                            return new Next(response, null, null);
                        }
                        execution().ended();
                        return new Next(null, error, null);
                    });
        }
        if (step instanceof Execution.Fail fail && fail.exchange() != null) {
            current = fail.exchange();
            return fail.exchange().keep(PolicyException.KEPT_BODY_LIMIT,
                            Math.min(Execution.KEEP_MILLIS, Math.max(1, execution().remainingMillis())))
                    .handle((kept, error) -> new Next(null,
                            execution().failure(fail.decision(), fail.exchange(), kept), null));
        }
        if (step instanceof Execution.Fail fail) {
            return CompletableFuture.completedFuture(new Next(null, execution().failure(fail.decision(), null, null),
                    null));
        }
        if (step instanceof Execution.Refresh refresh) {
            // The refusal stays unread while the refresh runs on the engine's refresh threads,
            // for no longer than the time left; what it leads to starts when it ends.
            CompletableFuture<String> renewed = refresh.source().refresh(refresh.scope(), refresh.uri(),
                    refresh.refused(), engine.executor());
            long left = execution().remainingMillis();
            CompletableFuture<String> bounded = left == Long.MAX_VALUE ? renewed.thenApply(v -> v)
                    : renewed.thenApply(v -> v).orTimeout(Math.max(1, left), TimeUnit.MILLISECONDS);
            return bounded.handle((fresh, error) -> execution().onRefreshed(refresh, fresh, error))
                    .thenCompose(this::atHead);
        }
        return CompletableFuture.completedFuture(Next.of(step));
    }

    private void abortCurrent() {
        Exchange<?> exchange = current;
        if (exchange != null) {
            exchange.abort();
        }
    }

    /** Rethrows a failure the way {@code send} declares it: I/O as I/O, everything else unchecked. */
    static IOException rethrow(Throwable error) {
        Throwable cause = Execution.unwrap(error);
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error fatal) {
            throw fatal;
        }
        return new IOException(cause);
    }
}
