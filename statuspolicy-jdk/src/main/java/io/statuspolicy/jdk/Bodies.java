package io.statuspolicy.jdk;

import io.statuspolicy.engine.DeadlineTimer;

import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.http.Redaction;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/** Body subscribers the adapter puts around, or instead of, the caller's. */
final class Bodies {
    /** A discarded body is read this far, for this long, to let a short one free its connection. */
    static final int DISCARD_BYTES = 16 * 1024;
    static final long DISCARD_MILLIS = 200;
    private static final String JDK_SUBSCRIBERS = "jdk.internal.net.http.ResponseSubscribers$";

    private Bodies() {
    }

    /**
     * Whether a subscriber hands the caller nothing until the body is complete (the JDK's byte
     * array, string, file and discarding subscribers), so a body that breaks before the end is a
     * failed attempt the caller never saw.
     */
    static boolean buffering(BodySubscriber<?> subscriber) {
        Class<?> type = subscriber.getClass();
        if (type == lastBuffering) {
            return true;
        }
        boolean buffering = BUFFERING.get(type);
        if (buffering && lastBuffering == null) {
            lastBuffering = type; // once: a racy write of an immutable value, any thread's is right
        }
        return buffering;
    }

    /**
     * The first buffering class {@link #buffering} saw: one comparison for the usual call, whose
     * subscriber is of the class most calls use (the class-value look-up was a ns or two of the
     * fast path's). Written once, so threads that use other classes do not write it in turn.
     */
    private static Class<?> lastBuffering;

    /** {@link #buffering} by class, worked out once per class (a name comparison per call cost about 40 ns). */
    private static final ClassValue<Boolean> BUFFERING = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            String name = type.getName();
            return name.equals(JDK_SUBSCRIBERS + "ByteArraySubscriber") || name.equals(JDK_SUBSCRIBERS + "PathSubscriber")
                    || name.equals(JDK_SUBSCRIBERS + "NullSubscriber");
        }
    };

    /** Delivers {@code bytes} to {@code subscriber} as a whole body, on demand. */
    static <T> CompletionStage<T> feed(BodySubscriber<T> subscriber, byte[] bytes) {
        AtomicBoolean delivered = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n > 0 && delivered.compareAndSet(false, true)) {
                    if (bytes.length > 0) {
                        subscriber.onNext(List.of(ByteBuffer.wrap(bytes)));
                    }
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                delivered.set(true);
            }
        });
        return subscriber.getBody();
    }

    /**
     * Fails the body with {@code timeout} if it has not finished within {@code delayMillis}: the
     * call's deadline covers reading the body, even a stalled or dripping one.
     */
    static <T> BodySubscriber<T> withDeadline(BodySubscriber<T> delegate, long delayMillis, Supplier<Exception> timeout) {
        return delayMillis == Long.MAX_VALUE ? delegate
                : new DeadlineSubscriber<>(delegate, delayMillis, timeout, null, null);
    }

    /**
     * {@link #withDeadline(BodySubscriber, long, Supplier)} failing with an
     * {@link HttpTimeoutException} that names {@code target}, made only when the deadline passes;
     * {@code afterTimeout} (when not null) runs once the delegate was failed by the deadline.
     */
    static <T> BodySubscriber<T> withDeadline(BodySubscriber<T> delegate, long delayMillis, URI target,
            Runnable afterTimeout) {
        return delayMillis == Long.MAX_VALUE ? delegate
                : new DeadlineSubscriber<>(delegate, delayMillis, null, target, afterTimeout);
    }

    /**
     * {@link #withDeadline(BodySubscriber, long, URI, Runnable)} with no after-timeout action, as
     * a subscriber that can also be stopped (see {@link Guarded#stop}); {@code delayMillis}
     * must be below {@link Long#MAX_VALUE}.
     */
    static <T> Guarded<T> guarded(BodySubscriber<T> delegate, long delayMillis, URI target) {
        return new DeadlineSubscriber<>(delegate, delayMillis, null, target, null);
    }

    /** A body subscriber under the call's deadline that can be stopped at once from any thread. */
    interface Guarded<T> extends BodySubscriber<T> {
        /**
         * Stops the body (the call was cancelled): cancels the subscription and fails the
         * subscriber with {@code error}, with the deadline's own care for the subscriber's signals.
         */
        void stop(Throwable error);
    }

    /** Passes each piece to {@code tap} as well, then to the delegate. */
    static <T> BodySubscriber<T> tee(BodySubscriber<T> delegate, BodyTap tap) {
        return new BodySubscriber<>() {
            @Override
            public CompletionStage<T> getBody() {
                return delegate.getBody();
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                delegate.onSubscribe(subscription);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                for (ByteBuffer piece : item) {
                    tap.onBytes(piece);
                }
                delegate.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                delegate.onError(throwable);
            }

            @Override
            public void onComplete() {
                tap.onComplete();
                delegate.onComplete();
            }
        };
    }

    /**
     * Reads at most {@code limit} bytes within {@code millis}, then cancels (which closes the
     * connection when the body was not over). Completes with what it read; never fails.
     */
    static final class Bounded extends DeadlineTimer.Entry implements BodySubscriber<Exchange.Kept> {
        /** What a discard (or a keep that read nothing) completes with: shared, its array is empty. */
        private static final Exchange.Kept NOTHING = new Exchange.Kept(new byte[0], false);
        private static final Exchange.Kept NOTHING_TRUNCATED = new Exchange.Kept(new byte[0], true);
        /** A discard's body, as the client asks for it: completed, so shared (completing or cancelling it does nothing). */
        private static final CompletableFuture<Exchange.Kept> DISCARDED = CompletableFuture.completedFuture(NOTHING);
        private static final VarHandle STATE;
        private static final VarHandle SUBSCRIPTION;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Bounded.class, "stopped", boolean.class);
                SUBSCRIPTION = MethodHandles.lookup().findVarHandle(Bounded.class, "subscription",
                        Flow.Subscription.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final int limit;
        private final long millis;
        private final boolean keep;
        /** What a keep collected; written by the client's signals and read by the stop, both under this object's monitor. */
        private ByteArrayOutputStream bytes;
        /** What a keep completes with; a discard, whose result nobody reads, makes none. */
        private final CompletableFuture<Exchange.Kept> result;
        private volatile Flow.Subscription subscription;
        /**
         * Set once, by compare-and-set, by whichever ends the body first: its end, its error, the
         * bound, the timer or a cancel. No lock: a discard on the retry path used to take this
         * object's monitor four times (eight atomic instructions); now it makes two.
         */
        private volatile boolean stopped;
        /** Bytes seen: only the client's signals, which come one at a time, touch it. */
        private long seen;

        /** {@code keep}: collect the bytes; otherwise only count them (a discard). */
        Bounded(int limit, long millis, boolean keep) {
            this.limit = limit;
            this.millis = millis;
            this.keep = keep;
            this.result = keep ? new CompletableFuture<>() : null;
        }

        CompletableFuture<Exchange.Kept> kept() {
            return result;
        }

        @Override
        public CompletionStage<Exchange.Kept> getBody() {
            return keep ? result : DISCARDED; // a discard's result is never read: the same completed stage for all
        }

        /** Stops at once (the call was cancelled): the connection is closed; a keep completes with what it has. */
        void cancel() {
            stop(true);
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value; // then the stop is read: a stop that came first cancels it here, or sees it there
            if (stopped) {
                value.cancel();
                return;
            }
            value.request(Long.MAX_VALUE);
            if (!stopped) { // a body already over (the usual short one) needs no timer
                // A stop between this check and the arming disarmed the entry already (a stop
                // always disarms): the timer drops it at its next tick.
                arm(millis);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            boolean over = false;
            for (ByteBuffer buffer : item) {
                int length = buffer.remaining();
                int take = (int) Math.min(length, Math.max(0, limit - seen));
                if (keep && take > 0) {
                    byte[] chunk = new byte[take];
                    buffer.get(chunk);
                    synchronized (this) {
                        if (bytes == null) {
                            bytes = new ByteArrayOutputStream(Math.min(limit, 8192));
                        }
                        bytes.write(chunk, 0, take);
                    }
                }
                seen += length;
                buffer.position(buffer.limit());
                over |= seen > limit;
            }
            if (over) {
                stop(true);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            stop(true);
        }

        @Override
        public void onComplete() {
            stop(false);
        }

        @Override
        protected void expire() {
            stop(true);
        }

        private void stop(boolean truncated) {
            if (stopped || !STATE.compareAndSet(this, false, true)) {
                return;
            }
            disarm(); // harmless when never armed; an arming after this finds the entry disarmed
            if (keep) {
                byte[] collected;
                synchronized (this) {
                    collected = bytes != null ? bytes.toByteArray() : null;
                    bytes = null;
                }
                result.complete(collected != null ? new Exchange.Kept(collected, truncated)
                        : truncated ? NOTHING_TRUNCATED : NOTHING);
            }
            if (truncated) {
                // A stopped entry may stay with the timer for a tick: it holds nothing.
                Flow.Subscription current = (Flow.Subscription) SUBSCRIPTION.getAndSet(this, null);
                if (current != null) {
                    current.cancel();
                }
            } else {
                SUBSCRIPTION.setOpaque(this, null); // the body ended: nothing to cancel, nothing to hold
            }
        }
    }

    /**
     * The call's deadline around the caller's subscriber. The timer never signals the caller's
     * subscriber while it is inside {@code onNext} or before it has its subscription (Reactive
     * Streams §1.3, §1.9), and never waits for it either (the timer thread serves every call): it
     * cancels the subscription and marks the expiry, and whichever of the timer and the
     * subscriber's own signal holds the lock delivers the timeout.
     *
     * <p>The subscriber is its own timer entry and its own lock (a reentrant owner field taken by
     * one compare-and-set: the JDK may signal it again from inside a signal, and only the timer
     * ever competes for it, with a try), so a guarded body allocates nothing beyond this object.
     */
    private static final class DeadlineSubscriber<T> extends DeadlineTimer.Entry implements Guarded<T> {
        private static final VarHandle OWNER;

        static {
            try {
                OWNER = MethodHandles.lookup().findVarHandle(DeadlineSubscriber.class, "owner", Thread.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final BodySubscriber<T> delegate;
        private final long delayMillis;
        private final Supplier<Exception> timeout;
        private final URI target;
        /** Cleared when the body finishes: a finished entry may stay with the timer for a tick. */
        private Runnable afterTimeout;
        private volatile Thread owner;
        private int holds;
        private volatile boolean expired;
        /** What the subscriber is failed with when stopped ({@link #stop}) rather than timed out. */
        private volatile Throwable stoppedWith;
        private volatile Flow.Subscription subscription;
        private boolean subscribed;
        private boolean armed;
        private boolean finished;

        DeadlineSubscriber(BodySubscriber<T> delegate, long delayMillis, Supplier<Exception> timeout, URI target,
                Runnable afterTimeout) {
            this.delegate = delegate;
            this.delayMillis = delayMillis;
            this.timeout = timeout;
            this.target = target;
            this.afterTimeout = afterTimeout;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            lock();
            try {
                subscription = value;
                if (!armed) { // an entry is armed once
                    armed = true;
                    arm(delayMillis);
                }
                delegate.onSubscribe(value);
                subscribed = true;
            } finally {
                unlock();
            }
            if (stoppedWith != null) {
                value.cancel(); // stopped before the client subscribed
            }
            deliverExpiry();
        }

        /** As the deadline's expiry, failing the subscriber with {@code error}; the timer drops the entry. */
        @Override
        public void stop(Throwable error) {
            stoppedWith = error;
            disarm();
            expire();
        }

        @Override
        protected void expire() {
            expired = true;
            Flow.Subscription current = subscription;
            if (current != null) {
                current.cancel();
            }
            if (tryLock()) {
                try {
                    fireTimeout();
                } finally {
                    unlock();
                }
            } // else the subscriber is inside a signal and delivers the expiry when it leaves
        }

        private void deliverExpiry() {
            if (expired) {
                lock();
                try {
                    fireTimeout();
                } finally {
                    unlock();
                }
            }
        }

        /** Holding the lock. */
        private void fireTimeout() {
            if (subscribed && !finished) {
                finished = true;
                disarm(); // when stopped: the timer drops the entry at its next tick
                Throwable stopped = stoppedWith;
                try {
                    delegate.onError(stopped != null ? stopped : timeout != null ? timeout.get() : new HttpTimeoutException(
                            "the call's deadline passed while reading the response body of " + Redaction.uri(target)));
                } finally {
                    Runnable after = afterTimeout;
                    afterTimeout = null;
                    if (after != null) {
                        after.run();
                    }
                }
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            lock();
            try {
                if (!finished) {
                    delegate.onNext(item);
                }
            } finally {
                unlock();
            }
            deliverExpiry();
        }

        @Override
        public void onError(Throwable throwable) {
            lock();
            try {
                if (!finished) {
                    finished = true;
                    disarm();
                    subscription = null; // the timer may hold a finished entry for a tick: it holds no exchange
                    afterTimeout = null;
                    delegate.onError(throwable);
                }
            } finally {
                unlock();
            }
        }

        @Override
        public void onComplete() {
            lock();
            try {
                if (!finished) {
                    finished = true;
                    disarm();
                    subscription = null; // the timer may hold a finished entry for a tick: it holds no exchange
                    afterTimeout = null;
                    delegate.onComplete();
                }
            } finally {
                unlock();
            }
        }

        private void lock() {
            Thread me = Thread.currentThread();
            if (owner == me) {
                holds++;
                return;
            }
            for (int spins = 0; !OWNER.compareAndSet(this, null, me); spins++) {
                // Only the timer competes, for as long as it delivers a timeout.
                if (spins < 100) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            holds = 1;
        }

        private boolean tryLock() {
            Thread me = Thread.currentThread();
            if (owner == me) {
                holds++;
                return true;
            }
            if (OWNER.compareAndSet(this, null, me)) {
                holds = 1;
                return true;
            }
            return false;
        }

        private void unlock() {
            if (--holds == 0) {
                owner = null;
            }
        }
    }
}
