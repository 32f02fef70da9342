package io.statuspolicy.engine;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out a call's steps on the caller's thread: sends with {@link Transport#send}, sleeps
 * with the engine's sleeper, waits for a refresh no longer than the time left. An interrupt at
 * any point aborts the exchange in flight and ends the call.
 */
final class SyncDriver<R> {
    private final PolicyEngine engine;
    private final Execution<R> execution;
    private final Transport<R> transport;
    private Exchange<?> current;

    SyncDriver(PolicyEngine engine, Execution<R> execution, Transport<R> transport) {
        this.engine = engine;
        this.execution = execution;
        this.transport = transport;
    }

    @SuppressWarnings("unchecked")
    R run() throws IOException, InterruptedException {
        try {
            Execution.Step step = execution.begin();
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                if (step instanceof Execution.Send send) {
                    Exchange<R> exchange;
                    try {
                        exchange = transport.send(send.attempt());
                    } catch (InterruptedIOException e) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new InterruptedException();
                        }
                        step = execution.onFailure(e);
                        continue;
                    } catch (IOException | RuntimeException e) {
                        step = execution.onFailure(e);
                        continue;
                    }
                    current = exchange;
                    step = execution.onExchange(exchange);
                } else if (step instanceof Execution.Wait wait) {
                    engine.sleeper().sleep(Duration.ofMillis(wait.millis()));
                    step = execution.onWaited();
                } else if (step instanceof Execution.Refresh refresh) {
                    step = refresh(refresh);
                } else if (step instanceof Execution.Deliver deliver) {
                    current = deliver.exchange();
                    CompletableFuture<R> body = (CompletableFuture<R>) deliver.exchange()
                            .deliver(deliver.tap(), deliver.deadlineMillis());
                    try {
                        R response = body.get();
                        execution.delivered(deliver.decision());
                        return response;
                    } catch (ExecutionException e) {
                        step = execution.onBodyFailure(deliver.decision(), e.getCause());
                    }
                } else if (step instanceof Execution.DeliverStored stored) {
                    current = stored.exchange();
                    CachedResponse copy = stored.copy();
                    CompletableFuture<R> body = (CompletableFuture<R>) stored.exchange()
                            .deliverStored(copy.status(), copy.headers(), copy.body());
                    try {
                        R response = body.get();
                        execution.delivered(stored.decision());
                        return response;
                    } catch (ExecutionException e) {
                        execution.ended();
                        throw rethrow(e.getCause());
                    }
                } else if (step instanceof Execution.Fail fail) {
                    Exchange.Kept kept = null;
                    if (fail.exchange() != null) {
                        current = fail.exchange();
                        kept = fail.exchange().keep(PolicyException.KEPT_BODY_LIMIT,
                                Math.min(Execution.KEEP_MILLIS, Math.max(1, execution.remainingMillis()))).get();
                    }
                    throw execution.failure(fail.decision(), fail.exchange(), kept);
                } else if (step instanceof Execution.Abort abort) {
                    execution.ended();
                    throw rethrow(abort.error());
                } else {
                    throw new IllegalStateException("no driver for " + step);
                }
            }
        } catch (InterruptedException e) {
            abortCurrent();
            execution.ended();
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            abortCurrent();
            execution.ended();
            throw rethrow(e.getCause());
        } catch (RuntimeException | Error e) {
            abortCurrent();
            execution.ended();
            throw e;
        }
    }

    private Execution.Step refresh(Execution.Refresh refresh) throws InterruptedException {
        CompletableFuture<String> renewed = refresh.source().refresh(refresh.scope(), refresh.uri(),
                refresh.refused(), engine.executor());
        long left = execution.remainingMillis();
        try {
            String fresh = left == Long.MAX_VALUE ? renewed.get() : renewed.get(Math.max(1, left), TimeUnit.MILLISECONDS);
            return execution.onRefreshed(refresh, fresh, null);
        } catch (ExecutionException e) {
            return execution.onRefreshed(refresh, null, e.getCause());
        } catch (TimeoutException e) {
            return execution.onRefreshed(refresh, null, e);
        }
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
