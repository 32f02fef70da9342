package io.statuspolicy.engine;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Carries out a call's steps without holding a thread: every step that takes time is a future,
 * and the next step runs when it completes. Cancelling the call's future is race-free: whatever
 * is in flight when it happens (a send, a wait, a refresh, a body) is cancelled, and a step that
 * starts after it sees the call is over and cancels itself.
 */
final class AsyncDriver<R> {
    private final PolicyEngine engine;
    private final CallSpec spec;
    private final Transport<R> transport;
    /**
     * The call's state machine: made before the first attempt, or, for a call on the fast path
     * ({@link PlainStart}), only when its first head needs more than "complete" or its first
     * attempt failed. Volatile: a cancel reads it from any thread.
     */
    private volatile Execution<R> execution;
    /** Whether the call is on the fast path, and when it started and must be over, on the engine's clock. */
    private final boolean plain;
    private final long startMillis;
    private final long deadlineMillis;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final AtomicReference<Future<?>> inFlight = new AtomicReference<>();
    private final AtomicReference<Exchange<?>> current = new AtomicReference<>();

    AsyncDriver(PolicyEngine engine, CallSpec spec, Transport<R> transport) {
        this.engine = engine;
        this.spec = spec;
        this.transport = transport;
        this.plain = PlainStart.applies(engine, spec);
        this.startMillis = plain ? engine.startMillis() : 0;
        this.deadlineMillis = plain ? PlainStart.deadline(engine, spec, startMillis) : 0;
    }

    CompletableFuture<R> start() {
        result.whenComplete((response, error) -> {
            if (result.isCancelled()) {
                stopInFlight();
                ended();
            }
        });
        if (plain) {
            run(PlainStart.attempt(engine, spec, startMillis, deadlineMillis));
            return result;
        }
        Execution<R> full = new Execution<>(engine, spec, transport);
        execution = full;
        if (engine.credentials() != null || engine.proxyCredentials() != null) {
            // A credential source may block: it is asked off the caller's thread.
            CompletableFuture<Void> begun = CompletableFuture.runAsync(() -> run(full.begin()), engine.executor());
            track(begun);
        } else {
            run(full.begin());
        }
        return result;
    }

    /**
     * The call's state machine, taking over from the fast path when the call is on it: made once,
     * by compare-and-set, since a cancel may ask for it from another thread while a step runs.
     */
    private Execution<R> execution() {
        Execution<R> made = execution;
        if (made != null) {
            return made;
        }
        Execution<R> fresh = new Execution<>(engine, spec, transport).afterPlainStart(startMillis, deadlineMillis);
        return EXECUTION.compareAndSet(this, null, fresh) ? fresh : execution;
    }

    private static final java.lang.invoke.VarHandle EXECUTION;

    static {
        try {
            EXECUTION = java.lang.invoke.MethodHandles.lookup().findVarHandle(AsyncDriver.class, "execution",
                    Execution.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
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

    @SuppressWarnings("unchecked")
    private void run(Execution.Step step) {
        if (result.isDone()) {
            return;
        }
        try {
            if (step instanceof Attempt attempt) {
                CompletableFuture<Exchange<R>> sent = transport.sendAsync(attempt);
                track(sent);
                sent.whenComplete((exchange, error) -> {
                    if (result.isDone()) {
                        if (exchange != null) {
                            exchange.abort();
                        }
                        return;
                    }
                    if (error != null) {
                        run(execution().onFailure(error));
                    } else {
                        current.set(exchange);
                        if (result.isDone()) {
                            exchange.abort();
                            return;
                        }
                        if (execution == null) {
                            Decision.Complete done = PlainStart.completion(engine, spec, exchange);
                            if (done != null) { // the fast path's first head completes the call
                                long now = engine.startMillis(); // the timer's last tick when nobody listens
                                deliver(exchange, done, null, Math.max(0, deadlineMillis - now), now);
                                return;
                            }
                        }
                        run(execution().onExchange(exchange));
                    }
                });
            } else if (step instanceof Execution.Wait wait) {
                CompletableFuture<Void> delay = engine.sleeper().delay(Duration.ofMillis(wait.millis()));
                track(delay);
                delay.whenComplete((ignored, error) -> {
                    if (error != null) {
                        fail(error);
                    } else {
                        run(execution().onWaited());
                    }
                });
            } else if (step instanceof Execution.AwaitProbe await) {
                // A future of our own: the probe's is shared by every call that waits on it.
                CompletableFuture<Void> woken = new CompletableFuture<>();
                await.ended().whenComplete((ignored, error) -> woken.complete(null));
                woken.completeOnTimeout(null, await.maxMillis(), TimeUnit.MILLISECONDS);
                track(woken);
                woken.whenComplete((ignored, error) -> {
                    if (!woken.isCancelled()) {
                        run(execution().onWaited());
                    }
                });
            } else if (step instanceof Execution.Refresh refresh) {
                CompletableFuture<String> renewed = refresh.source().refresh(refresh.scope(), refresh.uri(),
                        refresh.refused(), engine.executor());
                long left = execution().remainingMillis();
                CompletableFuture<String> bounded = left == Long.MAX_VALUE ? renewed.thenApply(v -> v)
                        : renewed.thenApply(v -> v).orTimeout(Math.max(1, left), TimeUnit.MILLISECONDS);
                track(bounded);
                bounded.whenComplete((fresh, error) -> run(execution().onRefreshed(refresh, fresh, error)));
            } else if (step instanceof Execution.Deliver deliver) {
                deliver((Exchange<R>) deliver.exchange(), deliver.decision(), deliver.tap(), deliver.deadlineMillis(),
                        0);
            } else if (step instanceof Execution.DeliverStored stored) {
                current.set(stored.exchange());
                CachedResponse copy = stored.copy();
                CompletableFuture<R> body = (CompletableFuture<R>) stored.exchange()
                        .deliverStored(copy.status(), copy.headers(), copy.body());
                track(body);
                body.whenComplete((response, error) -> {
                    if (error != null) {
                        ended();
                        fail(error);
                    } else {
                        execution().delivered(stored.decision());
                        result.complete(response);
                    }
                });
            } else if (step instanceof Execution.Fail failStep) {
                if (failStep.exchange() == null) {
                    result.completeExceptionally(execution().failure(failStep.decision(), null, null));
                    return;
                }
                current.set(failStep.exchange());
                CompletableFuture<Exchange.Kept> kept = failStep.exchange().keep(PolicyException.KEPT_BODY_LIMIT,
                        Math.min(Execution.KEEP_MILLIS, Math.max(1, execution().remainingMillis())));
                track(kept);
                kept.whenComplete((body, error) -> result.completeExceptionally(
                        execution().failure(failStep.decision(), failStep.exchange(), body)));
            } else if (step instanceof Execution.Abort abort) {
                ended();
                fail(abort.error());
            } else {
                throw new IllegalStateException("no driver for " + step);
            }
        } catch (Throwable t) {
            stopInFlight();
            ended();
            fail(t);
        }
    }

    /**
     * Hands the response to the caller; the call ends when its body does. {@code headMillis}:
     * when a fast-path head was decided (what its success is counted at).
     */
    private void deliver(Exchange<R> exchange, Decision decision, BodyTap tap, long deadline, long headMillis) {
        try {
            current.set(exchange);
            CompletableFuture<R> body = exchange.deliver(tap, deadline);
            track(body);
            body.whenComplete((response, error) -> {
                if (result.isDone()) {
                    return;
                }
                if (error != null) {
                    run(execution().onBodyFailure(decision, error));
                } else {
                    if (execution == null && engine.listener() == PolicyListener.NONE) {
                        PlainStart.delivered(engine, spec.uri(), decision.status(), headMillis);
                    } else {
                        execution().delivered(decision);
                    }
                    result.complete(response);
                }
            });
        } catch (Throwable t) {
            stopInFlight();
            ended();
            fail(t);
        }
    }

    /** Makes {@code future} the step in flight; cancels it at once when the call is already over. */
    private void track(Future<?> future) {
        inFlight.set(future);
        if (result.isCancelled()) {
            future.cancel(true);
            stopInFlight();
        }
    }

    private void stopInFlight() {
        Future<?> step = inFlight.get();
        if (step != null) {
            step.cancel(true);
        }
        Exchange<?> exchange = current.get();
        if (exchange != null) {
            exchange.abort();
        }
    }

    private void fail(Throwable error) {
        result.completeExceptionally(Execution.unwrap(error));
    }
}
