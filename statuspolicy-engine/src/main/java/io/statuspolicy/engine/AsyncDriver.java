package io.statuspolicy.engine;

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
    private final Execution<R> execution;
    private final Transport<R> transport;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final AtomicReference<Future<?>> inFlight = new AtomicReference<>();
    private final AtomicReference<Exchange<?>> current = new AtomicReference<>();

    AsyncDriver(PolicyEngine engine, Execution<R> execution, Transport<R> transport) {
        this.engine = engine;
        this.execution = execution;
        this.transport = transport;
    }

    CompletableFuture<R> start() {
        result.whenComplete((response, error) -> {
            if (result.isCancelled()) {
                stopInFlight();
                execution.ended();
            }
        });
        if (engine.credentials() != null || engine.proxyCredentials() != null) {
            // A credential source may block: it is asked off the caller's thread.
            CompletableFuture<Void> begun = CompletableFuture.runAsync(() -> run(execution.begin()), engine.executor());
            track(begun);
        } else {
            run(execution.begin());
        }
        return result;
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
                        run(execution.onFailure(error));
                    } else {
                        current.set(exchange);
                        if (result.isDone()) {
                            exchange.abort();
                            return;
                        }
                        run(execution.onExchange(exchange));
                    }
                });
            } else if (step instanceof Execution.Wait wait) {
                CompletableFuture<Void> delay = engine.sleeper().delay(Duration.ofMillis(wait.millis()));
                track(delay);
                delay.whenComplete((ignored, error) -> {
                    if (error != null) {
                        fail(error);
                    } else {
                        run(execution.onWaited());
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
                        run(execution.onWaited());
                    }
                });
            } else if (step instanceof Execution.Refresh refresh) {
                CompletableFuture<String> renewed = refresh.source().refresh(refresh.scope(), refresh.uri(),
                        refresh.refused(), engine.executor());
                long left = execution.remainingMillis();
                CompletableFuture<String> bounded = left == Long.MAX_VALUE ? renewed.thenApply(v -> v)
                        : renewed.thenApply(v -> v).orTimeout(Math.max(1, left), TimeUnit.MILLISECONDS);
                track(bounded);
                bounded.whenComplete((fresh, error) -> run(execution.onRefreshed(refresh, fresh, error)));
            } else if (step instanceof Execution.Deliver deliver) {
                current.set(deliver.exchange());
                CompletableFuture<R> body = (CompletableFuture<R>) deliver.exchange()
                        .deliver(deliver.tap(), deliver.deadlineMillis());
                track(body);
                body.whenComplete((response, error) -> {
                    if (result.isDone()) {
                        return;
                    }
                    if (error != null) {
                        run(execution.onBodyFailure(deliver.decision(), error));
                    } else {
                        execution.delivered(deliver.decision());
                        result.complete(response);
                    }
                });
            } else if (step instanceof Execution.DeliverStored stored) {
                current.set(stored.exchange());
                CachedResponse copy = stored.copy();
                CompletableFuture<R> body = (CompletableFuture<R>) stored.exchange()
                        .deliverStored(copy.status(), copy.headers(), copy.body());
                track(body);
                body.whenComplete((response, error) -> {
                    if (error != null) {
                        execution.ended();
                        fail(error);
                    } else {
                        execution.delivered(stored.decision());
                        result.complete(response);
                    }
                });
            } else if (step instanceof Execution.Fail failStep) {
                if (failStep.exchange() == null) {
                    result.completeExceptionally(execution.failure(failStep.decision(), null, null));
                    return;
                }
                current.set(failStep.exchange());
                CompletableFuture<Exchange.Kept> kept = failStep.exchange().keep(PolicyException.KEPT_BODY_LIMIT,
                        Math.min(Execution.KEEP_MILLIS, Math.max(1, execution.remainingMillis())));
                track(kept);
                kept.whenComplete((body, error) -> result.completeExceptionally(
                        execution.failure(failStep.decision(), failStep.exchange(), body)));
            } else if (step instanceof Execution.Abort abort) {
                execution.ended();
                fail(abort.error());
            } else {
                throw new IllegalStateException("no driver for " + step);
            }
        } catch (Throwable t) {
            stopInFlight();
            execution.ended();
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
