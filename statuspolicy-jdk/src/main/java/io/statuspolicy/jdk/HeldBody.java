package io.statuspolicy.jdk;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p>It is itself the future of the body it gives the client ({@link #getBody}), which completes
 * once the caller's body has (or at once, for a body discarded or kept), so a held body is one
 * object, not two.
 */
final class HeldBody<T> extends CompletableFuture<T> implements BodySubscriber<T>, BiConsumer<T, Throwable>,
        Runnable {
    private static final VarHandle SETTLED;

    static {
        try {
            SETTLED = MethodHandles.lookup().findVarHandle(HeldBody.class, "settled", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Whether the caller's subscriber completes its body inside its own {@code onComplete} or
     * {@code onError} (the JDK's buffering subscribers): then how the body ended is read once a
     * terminal signal was passed on, instead of through a completion stage on the caller's body
     * (a stage, its future and, for the JDK's futures, a shared counter's increment per call).
     */
    private boolean direct;
    private CompletableFuture<T> callersBody;
    private volatile boolean settled;
    /** Told how the caller's body ended, before the JDK is (the caller's response is made from it). */
    private BiConsumer<? super T, ? super Throwable> onCallersBody;
    private Flow.Subscription subscription;
    private BodySubscriber<?> target;
    private Throwable pendingError;
    private boolean pendingComplete;
    private boolean cancelled;

    @Override
    public CompletionStage<T> getBody() {
        return this; // the body the client waits for is this future itself (no future of its own)
    }

    /**
     * Passes the caller's body to {@code to}, telling {@code onEnd} how it ended (first) and then
     * the JDK: one completion stage on the caller's body serves both.
     */
    void attachCallers(BodySubscriber<T> to, BiConsumer<? super T, ? super Throwable> onEnd, boolean direct) {
        onCallersBody = onEnd;
        if (direct) {
            this.direct = true;
            callersBody = to.getBody().toCompletableFuture();
        }
        attach(to, true);
    }

    /**
     * A terminal signal reached the caller's subscriber (from the client, or the deadline's timer:
     * see {@link #run}): in direct mode, tells how the caller's body ended, once. A body that is
     * not over yet after all (a subscriber that completes later) is followed with a stage, as in
     * the other mode.
     */
    private void settle() {
        if (!direct || !SETTLED.compareAndSet(this, false, true)) {
            return;
        }
        CompletableFuture<T> callers = callersBody;
        if (callers.isDone() && !callers.isCompletedExceptionally()) {
            accept(callers.getNow(null), null);
        } else {
            callers.whenComplete(this); // a failure is passed on exactly as the stage reports it
        }
    }

    /** The call's deadline failed the caller's body (on the timer's thread): see {@link #settle}. */
    @Override
    public void run() {
        settle();
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
                completeExceptionally(error);
            } else {
                complete(value);
            }
        }
    }

    /** Passes the body to {@code to}; {@code callers} says whether its result is the caller's body. */
    @SuppressWarnings("unchecked")
    void attach(BodySubscriber<?> to, boolean callers) {
        boolean ended;
        synchronized (this) {
            if (target != null || cancelled) {
                throw new IllegalStateException("the body was already handed on");
            }
            target = to;
            if (subscription != null) {
                to.onSubscribe(subscription);
            }
            ended = pendingError != null || pendingComplete;
            if (pendingError != null) {
                to.onError(pendingError);
            } else if (pendingComplete) {
                to.onComplete();
            }
        }
        if (callers) {
            if (!direct) {
                ((CompletionStage<T>) to.getBody()).whenComplete(this);
            } else if (ended) {
                settle();
            }
        } else {
            complete(null);
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
        completeExceptionally(new CancellationException("the call was cancelled"));
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
        try {
            to.onError(error);
        } finally {
            settle();
        }
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
        try {
            to.onComplete();
        } finally {
            settle();
        }
    }
}
