package io.statuspolicy.jdk;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * The body subscriber the adapter hands the JDK for every response: it takes the subscription
 * and requests nothing until the engine has decided what the body is for, then passes the
 * subscription on to exactly one target (the caller's subscriber, a bounded discard, a bounded
 * keep). This is what lets the JDK's head-time body handler serve an engine that decides after
 * the head: the body waits, unread, on its connection.
 *
 * <p>Signals from the JDK arrive in order on its threads; {@link #attach} and {@link #cancel}
 * come from the engine's thread. Terminal signals that arrive before a target are replayed to it.
 */
final class HeldBody<T> implements BodySubscriber<T>, BiConsumer<T, Throwable> {
    private final CompletableFuture<T> body = new CompletableFuture<>();
    /** Told how the caller's body ended, before the JDK is (the caller's response is made from it). */
    private BiConsumer<? super T, ? super Throwable> onCallersBody;
    private Flow.Subscription subscription;
    private BodySubscriber<?> target;
    private Throwable pendingError;
    private boolean pendingComplete;
    private boolean cancelled;

    @Override
    public CompletionStage<T> getBody() {
        return body;
    }

    /**
     * Passes the caller's body to {@code to}, telling {@code onEnd} how it ended (first) and then
     * the JDK: one completion stage on the caller's body serves both.
     */
    void attachCallers(BodySubscriber<T> to, BiConsumer<? super T, ? super Throwable> onEnd) {
        onCallersBody = onEnd;
        attach(to, true);
    }

    /** The caller's body ended: the caller's response first, then the JDK's exchange. */
    @Override
    public void accept(T value, Throwable error) {
        BiConsumer<? super T, ? super Throwable> first = onCallersBody;
        try {
            if (first != null) {
                first.accept(value, error);
            }
        } finally {
            if (error != null) {
                body.completeExceptionally(error);
            } else {
                body.complete(value);
            }
        }
    }

    /** Passes the body to {@code to}; {@code callers} says whether its result is the caller's body. */
    @SuppressWarnings("unchecked")
    void attach(BodySubscriber<?> to, boolean callers) {
        synchronized (this) {
            if (target != null || cancelled) {
                throw new IllegalStateException("the body was already handed on");
            }
            target = to;
            if (subscription != null) {
                to.onSubscribe(subscription);
            }
            if (pendingError != null) {
                to.onError(pendingError);
            } else if (pendingComplete) {
                to.onComplete();
            }
        }
        if (callers) {
            ((CompletionStage<T>) to.getBody()).whenComplete(this);
        } else {
            body.complete(null);
        }
    }

    /** Stops the body at once (a cancelled call): the connection is closed, the response fails. */
    void cancel() {
        Flow.Subscription current;
        synchronized (this) {
            cancelled = true;
            current = subscription;
        }
        if (current != null) {
            current.cancel();
        }
        body.completeExceptionally(new CancellationException("the call was cancelled"));
    }

    @Override
    public void onSubscribe(Flow.Subscription value) {
        boolean cancelNow;
        synchronized (this) {
            subscription = value;
            cancelNow = cancelled;
            if (!cancelNow && target != null) {
                target.onSubscribe(value);
            }
        }
        if (cancelNow) {
            value.cancel();
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        BodySubscriber<?> to;
        synchronized (this) {
            to = target;
        }
        if (to != null) {
            to.onNext(item); // demand comes only from the target, so it is there
        }
    }

    @Override
    public void onError(Throwable error) {
        BodySubscriber<?> to;
        synchronized (this) {
            to = target;
            if (to == null) {
                pendingError = error;
                return;
            }
        }
        to.onError(error);
    }

    @Override
    public void onComplete() {
        BodySubscriber<?> to;
        synchronized (this) {
            to = target;
            if (to == null) {
                pendingComplete = true;
                return;
            }
        }
        to.onComplete();
    }
}
