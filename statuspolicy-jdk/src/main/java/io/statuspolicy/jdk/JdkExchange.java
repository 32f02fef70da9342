package io.statuspolicy.jdk;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.RawLocation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
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
 * engine says what it is for.
 */
final class JdkExchange<T> implements Exchange<HttpResponse<T>> {
    private final ResponseInfo info;
    private final HttpRequest request;
    private final BodyHandler<T> handler;
    private final HeldBody<T> held = new HeldBody<>();
    /**
     * The JDK's future for the whole exchange (completes when the held body does), for an
     * asynchronous attempt; null for a synchronous one, whose response the transport sets in
     * {@link #sent} once the client's send returned (no future per attempt).
     */
    private final CompletableFuture<HttpResponse<T>> whole;
    private volatile HttpResponse<T> sent;
    /** Whether the body was handed on (once): a field set by compare-and-set, no object of its own. */
    private volatile boolean used;
    private static final VarHandle USED;

    static {
        try {
            USED = MethodHandles.lookup().findVarHandle(JdkExchange.class, "used", boolean.class);
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

    HeldBody<T> held() {
        return held;
    }

    @Override
    public int status() {
        return info.statusCode();
    }

    @Override
    public List<String> headerValues(String name) {
        List<String> values = info.headers().allValues(name);
        return name.equalsIgnoreCase("Location") ? RawLocation.encodeAll(values) : values;
    }

    @Override
    public Map<String, List<String>> headers() {
        return info.headers().map();
    }

    @Override
    public CompletableFuture<HttpResponse<T>> deliver(BodyTap tap, long deadlineMillis) {
        once();
        BodySubscriber<T> callers = handler.apply(info);
        boolean buffering = Bodies.buffering(callers);
        BodySubscriber<T> subscriber = tap == null ? callers : Bodies.tee(callers, tap);
        subscriber = Bodies.withDeadline(subscriber, deadlineMillis, request.uri(), buffering ? held : null);
        // The caller's body, not the JDK's future of the whole exchange, which completes on another thread.
        Delivery delivery = new Delivery(buffering);
        held.attachCallers(subscriber, delivery, buffering);
        return delivery;
    }

    /** The caller's response, made when the caller's body handler completes. */
    private final class Delivery extends CompletableFuture<HttpResponse<T>> implements BiConsumer<T, Throwable> {
        private final boolean buffering;

        Delivery(boolean buffering) {
            this.buffering = buffering;
        }

        @Override
        public void accept(T body, Throwable error) {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                completeExceptionally(new CompletionException(new BodyFailure(cause, !buffering)));
            } else {
                complete(new ReadResponse<>(info, request, body, previous, JdkExchange.this));
            }
        }
    }

    @Override
    public CompletableFuture<HttpResponse<T>> deliverStored(int status, Map<String, List<String>> headers,
            byte[] body) {
        once();
        held.attach(new Bodies.Bounded(0, Bodies.DISCARD_MILLIS, false), false);
        HttpHeaders stored = HttpHeaders.of(headers, (name, value) -> true);
        ResponseInfo storedInfo = new StoredInfo(status, stored, info.version());
        return Bodies.feed(handler.apply(storedInfo), body).toCompletableFuture()
                .thenApply(value -> new StoredResponse<>(status, stored, value, request, info.version(), previous));
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        Bodies.Bounded kept = new Bodies.Bounded(limit, timeoutMillis, true);
        held.attach(kept, false);
        return kept.kept();
    }

    @Override
    public void discard() {
        if (USED.compareAndSet(this, false, true)) {
            held.attach(new Bodies.Bounded(Bodies.DISCARD_BYTES, Bodies.DISCARD_MILLIS, false), false);
        }
    }

    @Override
    public void abort() {
        held.cancel();
        if (whole != null) {
            whole.cancel(true);
        }
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
