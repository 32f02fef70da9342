package io.statuspolicy.jdk;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** Body subscribers the executor puts around the caller's. */
final class Bodies {
    private Bodies() {
    }

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
    static <T> BodySubscriber<T> withDeadline(BodySubscriber<T> delegate, long delayMillis,
            java.util.function.Supplier<Exception> timeout) {
        return new DeadlineSubscriber<>(delegate, delayMillis, timeout);
    }

    /** Passes each piece to {@code tap} as well, then to the delegate. */
    static <T> BodySubscriber<T> tee(BodySubscriber<T> delegate, Consumer<List<ByteBuffer>> tap, Runnable onComplete) {
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
                tap.accept(item);
                delegate.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                delegate.onError(throwable);
            }

            @Override
            public void onComplete() {
                onComplete.run();
                delegate.onComplete();
            }
        };
    }

    /** Collects up to {@code limit} bytes of a body; beyond that it drains and reports it too large. */
    static final class Kept implements BodySubscriber<byte[]> {
        private final int limit;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private boolean tooLarge;

        Kept(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            for (ByteBuffer buffer : item) {
                if (!tooLarge && bytes.size() + buffer.remaining() <= limit) {
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    bytes.write(chunk, 0, chunk.length);
                } else {
                    tooLarge = true;
                    buffer.position(buffer.limit());
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.complete(null);
        }

        @Override
        public void onComplete() {
            body.complete(tooLarge ? null : bytes.toByteArray());
        }
    }

    private static final class DeadlineSubscriber<T> implements BodySubscriber<T> {
        private final BodySubscriber<T> delegate;
        private final long delayMillis;
        private final java.util.function.Supplier<Exception> timeout;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile Deadlines.Entry timer;

        DeadlineSubscriber(BodySubscriber<T> delegate, long delayMillis, java.util.function.Supplier<Exception> timeout) {
            this.delegate = delegate;
            this.delayMillis = delayMillis;
            this.timeout = timeout;
        }

        @Override
        public CompletionStage<T> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            // Armed before the body can start, and disarmed at once if it was over already.
            timer = Deadlines.arm(delayMillis, () -> {
                if (finished.compareAndSet(false, true)) {
                    subscription.cancel();
                    delegate.onError(timeout.get());
                }
            });
            delegate.onSubscribe(subscription);
            if (finished.get()) {
                timer.cancel();
            }
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            if (!finished.get()) {
                delegate.onNext(item);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            if (finished.compareAndSet(false, true)) {
                cancelTimer();
                delegate.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (finished.compareAndSet(false, true)) {
                cancelTimer();
                delegate.onComplete();
            }
        }

        private void cancelTimer() {
            Deadlines.Entry armed = timer;
            if (armed != null) {
                armed.cancel();
            }
        }
    }
}
