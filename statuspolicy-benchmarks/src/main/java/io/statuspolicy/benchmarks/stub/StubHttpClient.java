package io.statuspolicy.benchmarks.stub;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A {@link HttpClient} without sockets: {@code sendAsync} picks a prebuilt {@link StubReply},
 * runs the caller's body handler over it exactly as the JDK client does (subscribe, deliver the
 * body on demand, complete) and returns an already completed future. Wrapping it in
 * {@code PolicyHttpClient} therefore measures the real executor code path, body handler and all,
 * with no I/O in the figures. It follows no redirects ({@link HttpClient.Redirect#NEVER}) and has
 * no executor, as a default JDK client.
 *
 * <p>When the body is delivered is a {@link Delivery} choice, because both orders happen with the
 * JDK's own client and a subscriber must cope with either: after {@code onSubscribe} has returned
 * (data that arrives later, the usual case on a network), or inline, from within the
 * {@code request(n)} the subscriber makes while it is being subscribed (data already buffered
 * with the head, which the JDK's sequential scheduler may hand over on the calling thread).
 *
 * <p>Thread-safe when its {@link Responder} is.
 */
public final class StubHttpClient extends HttpClient {

    /** Picks the reply to a request. */
    @FunctionalInterface
    public interface Responder {
        StubReply reply(HttpRequest request);
    }

    /** When the body reaches the subscriber. */
    public enum Delivery {
        /** After {@code onSubscribe} returned, as soon as there is demand. */
        AFTER_SUBSCRIBE,
        /** Inline, during the first {@code request(n)}, even while {@code onSubscribe} runs. */
        INLINE
    }

    private final Responder responder;
    private final Delivery delivery;

    /** A stub that delivers bodies {@link Delivery#AFTER_SUBSCRIBE}. */
    public StubHttpClient(Responder responder) {
        this(responder, Delivery.AFTER_SUBSCRIBE);
    }

    public StubHttpClient(Responder responder, Delivery delivery) {
        this.responder = Objects.requireNonNull(responder, "responder");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
    }

    /** A stub that gives every request the same reply, delivered after subscription. */
    public static StubHttpClient always(StubReply reply) {
        return always(reply, Delivery.AFTER_SUBSCRIBE);
    }

    public static StubHttpClient always(StubReply reply, Delivery delivery) {
        Objects.requireNonNull(reply, "reply");
        return new StubHttpClient(request -> reply, delivery);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return sendAsync(request, handler).get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        StubReply reply = responder.reply(request);
        BodySubscriber<T> subscriber = handler.apply(reply);
        OneDelivery<T> subscription = new OneDelivery<>(subscriber, reply, delivery == Delivery.INLINE);
        subscriber.onSubscribe(subscription);
        subscription.subscribed();
        CompletableFuture<T> body = subscriber.getBody().toCompletableFuture();
        if (body.isDone() && !body.isCompletedExceptionally()) {
            return CompletableFuture.completedFuture(new Response<>(reply, request, body.join()));
        }
        return body.thenApply(value -> new Response<>(reply, request, value));
    }

    /** Delivers the whole body on the first request for data, then completes. */
    private static final class OneDelivery<T> implements Flow.Subscription {
        private final BodySubscriber<T> subscriber;
        private final StubReply reply;
        private boolean ready;
        private boolean demanded;
        private boolean done;

        OneDelivery(BodySubscriber<T> subscriber, StubReply reply, boolean inline) {
            this.subscriber = subscriber;
            this.reply = reply;
            this.ready = inline;
        }

        /** onSubscribe returned: deliver now if the subscriber asked for data meanwhile. */
        void subscribed() {
            ready = true;
            if (demanded) {
                deliver();
            }
        }

        @Override
        public void request(long n) {
            if (done || n <= 0) {
                return;
            }
            demanded = true;
            if (ready) {
                deliver();
            }
        }

        private void deliver() {
            if (done) {
                return;
            }
            done = true;
            if (reply.hasBody()) {
                subscriber.onNext(List.of(reply.bodyBuffer()));
            }
            subscriber.onComplete();
        }

        @Override
        public void cancel() {
            done = true;
        }
    }

    private record Response<T>(StubReply reply, HttpRequest request, T body) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return reply.statusCode();
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return reply.headers();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return reply.version();
        }
    }

    // ---- the rest of HttpClient: a plain HTTP/1.1 client without extras ---------------------

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
        throw new UnsupportedOperationException("the stub has no TLS");
    }

    @Override
    public SSLParameters sslParameters() {
        throw new UnsupportedOperationException("the stub has no TLS");
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return Optional.empty();
    }

    @Override
    public Version version() {
        return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
        return Optional.empty();
    }
}
