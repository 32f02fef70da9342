package io.statuspolicy.jdk;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The engine's transport over {@code java.net.http}, for one call: each attempt is sent with the
 * delegate's {@code sendAsync} and a body handler that reports the head at once and holds the
 * body ({@link HeldBody}); a synchronous call waits for the head on its own thread. Cancelling
 * the attempt's future cancels the JDK's exchange, which closes its connection.
 */
final class JdkTransport<T> implements Transport<HttpResponse<T>>, BodyHandler<T> {
    private final PolicyHttpClient client;
    private final HttpRequest original;
    private final BodyHandler<T> handler;
    private final HttpResponse.PushPromiseHandler<T> pushPromises;
    private final RequestBody body;
    /**
     * The last attempt's exchange, for the next attempt's previous response: written when a head
     * arrives and read by the next send, which starts only after the engine saw that attempt end
     * (through the client's send returning or its future completing), so a plain field.
     */
    private JdkExchange<T> last;
    // The synchronous attempt in flight, read by apply (this transport is its body handler, so no
    // handler object is made per attempt). Written before the client's send, which hands them to
    // whatever thread reports the head.
    private HttpRequest sending;
    private HttpResponse<T> sendingPrevious;
    private Consumer<Exchange<HttpResponse<T>>> sendingOnHead;
    // Plain: written by the thread that reports the head and read by the caller once the
    // client's send returned or threw (its future's completion orders the two); when the send
    // ends by an interrupt without that ordering, the call is aborted through the driver, whose
    // reference to the exchange is volatile.
    private JdkExchange<T> sendingExchange;
    private Thread sendingThread;

    JdkTransport(PolicyHttpClient client, HttpRequest original, BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromises, RequestBody body) {
        this.client = client;
        this.original = original;
        this.handler = handler;
        this.pushPromises = pushPromises;
        this.body = body;
    }

    @Override
    public Exchange<HttpResponse<T>> send(Attempt attempt) throws IOException, InterruptedException {
        return Transport.await(sendAsync(attempt));
    }

    /**
     * The synchronous path: the delegate's blocking send on the caller's thread ({@link BlockingSend}:
     * the JDK's own {@code send} from JDK 25 on, its fast path; before 25 its {@code sendAsync}
     * waited for, since an interrupted {@code send} there can leave the client's thread alive for
     * good), with the head handed to the engine inside the body handler.
     */
    @Override
    public void send(Attempt attempt, Consumer<Exchange<HttpResponse<T>>> onHead)
            throws IOException, InterruptedException {
        HttpRequest request = request(attempt);
        HttpResponse<T> previous = last == null ? null : last.asPrevious();
        HttpClient sender = attempt.freshConnection() ? client.freshDelegate() : client.delegate();
        sending = request;
        sendingPrevious = previous;
        sendingOnHead = onHead;
        sendingExchange = null;
        sendingThread = Thread.currentThread();
        try {
            HttpResponse<T> response;
            try {
                response = BlockingSend.send(sender, request, this);
            } catch (InterruptedException e) {
                if (sendInterrupted()) {
                    return; // the body's deadline interrupted the send: its delivery fails, the call goes on
                }
                throw e;
            } catch (IOException | RuntimeException | Error e) {
                sendFailed(e);
                throw e;
            }
            sendReturned(response);
        } finally {
            if (sender != client.delegate()) {
                client.closeQuietly(sender);
            }
        }
    }

    /**
     * Takes over a synchronous first attempt that the fast path ({@link FastCall}) sent itself,
     * with the caller's {@code request} on {@code caller}'s thread: its head goes to {@code onHead}
     * through {@link #apply}, and the send's end is reported with {@link #sendReturned},
     * {@link #sendInterrupted} or {@link #sendFailed}, as this transport's own send does.
     */
    void adopt(HttpRequest request, Consumer<Exchange<HttpResponse<T>>> onHead, Thread caller) {
        sending = request;
        sendingPrevious = null;
        sendingOnHead = onHead;
        sendingExchange = null;
        sendingThread = caller;
    }

    /** The synchronous send returned the client's response. */
    void sendReturned(HttpResponse<T> response) {
        JdkExchange<T> exchange = sendingExchange;
        if (exchange != null) {
            exchange.sent(response);
            exchange.sendEnded(null, false);
        }
    }

    /** The synchronous send was interrupted: whether the body's own deadline did it (the call then goes on). */
    boolean sendInterrupted() {
        JdkExchange<T> exchange = sendingExchange;
        return exchange != null && exchange.sendEnded(null, true);
    }

    /** The synchronous send threw. */
    void sendFailed(Throwable failure) {
        JdkExchange<T> exchange = sendingExchange;
        if (exchange != null) {
            exchange.sendEnded(failure, false);
        }
    }

    /** The synchronous attempt's head arrived: hand it to the engine, and the held body to the client. */
    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        return apply(info, null);
    }

    /** {@link #apply}, with the caller's subscriber for this head when the fast path has made it already. */
    HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info, HttpResponse.BodySubscriber<T> made) {
        JdkExchange<T> exchange = new JdkExchange<>(info, sending, handler, null, sendingPrevious);
        if (made != null) {
            exchange.callersSubscriber(made);
        }
        last = exchange;
        sendingExchange = exchange;
        exchange.deciding(true, sendingThread);
        try {
            sendingOnHead.accept(exchange);
        } finally {
            exchange.deciding(false, sendingThread);
        }
        return exchange.forClient();
    }

    @Override
    public CompletableFuture<Exchange<HttpResponse<T>>> sendAsync(Attempt attempt) {
        HttpRequest request = request(attempt);
        Linked<Exchange<HttpResponse<T>>> head = new Linked<>();
        Linked<HttpResponse<T>> whole = new Linked<>();
        HttpResponse<T> previous = last == null ? null : last.asPrevious();
        BodyHandler<T> headFirst = info -> {
            JdkExchange<T> exchange = new JdkExchange<>(info, request, handler, whole, previous);
            last = exchange;
            if (!head.complete(exchange)) {
                exchange.held().cancel(); // the attempt was cancelled while the head arrived
            }
            return exchange.held();
        };
        HttpClient sender = attempt.freshConnection() ? client.freshDelegate() : client.delegate();
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = sender.sendAsync(request, headFirst, pushPromises);
        } catch (RuntimeException e) {
            head.completeExceptionally(e);
            return head;
        }
        sent.whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                head.completeExceptionally(cause);
                whole.completeExceptionally(cause);
            } else {
                if (!head.isDone()) { // a delegate that never called the handler (no exception made per call)
                    head.completeExceptionally(new IOException("the JDK client completed the exchange without "
                            + "reporting a response head"));
                }
                whole.complete(response);
            }
            if (sender != client.delegate()) {
                client.closeQuietly(sender);
            }
        });
        head.link(sent);
        whole.link(sent);
        return head;
    }

    /**
     * The JDK request for an attempt: exactly the attempt's method, URI, fields and body, with the
     * time left as its head timeout. When the attempt carries the caller's header fields as they
     * are, a view of the caller's request ({@link SentRequest}); otherwise a copy with the fields.
     */
    private HttpRequest request(Attempt attempt) {
        Optional<Duration> timeout = timeout(attempt.timeoutMillis());
        // Without a body: the caller's own choice when the method is the caller's (a GET built
        // with GET() has no publisher, a POST with noBody() has an empty one), and no publisher at
        // all when a redirect changed the method (the JDK sends "Content-Length: 0" for an empty
        // publisher, which RFC 9110 §8.6 says not to send on a GET).
        Optional<HttpRequest.BodyPublisher> publisher = attempt.hasBody()
                ? Optional.of(body.publisher(attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH))
                : attempt.method().equals(original.method()) ? original.bodyPublisher() : Optional.empty();
        if (attempt.headers() == original.headers().map()) {
            return new SentRequest(original, attempt.uri(), attempt.method(), publisher, timeout);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(attempt.uri()).expectContinue(original.expectContinue());
        original.version().ifPresent(builder::version);
        timeout.ifPresent(builder::timeout);
        for (Map.Entry<String, List<String>> field : attempt.headers().entrySet()) {
            for (String value : field.getValue()) {
                builder.header(field.getKey(), value);
            }
        }
        if (publisher.isPresent()) {
            builder.method(attempt.method(), publisher.get());
        } else if (attempt.method().equals("GET")) {
            builder.GET(); // no publisher: no Content-Length
        } else if (attempt.method().equals("DELETE")) {
            builder.DELETE();
        } else {
            builder.method(attempt.method(), HttpRequest.BodyPublishers.noBody()); // the builder's only way
        }
        return builder.build();
    }

    /** The head timeout: the caller's own, or the time left when that is shorter. */
    private Optional<Duration> timeout(long leftMillis) {
        Optional<Duration> own = original.timeout();
        if (leftMillis == Long.MAX_VALUE) {
            return own;
        }
        long left = Math.max(1, leftMillis);
        if (own.isPresent() && own.get().compareTo(Duration.ofMillis(left)) <= 0) {
            return own;
        }
        return Timeouts.of(left);
    }

    /**
     * The head timeouts made lately, by their length: a first attempt's is the policy's deadline
     * to the millisecond, the same for most calls, so it is made once rather than per attempt.
     * Racy by design: a lost update only makes one more.
     */
    private static final class Timeouts {
        private static final int SLOTS = 4;
        @SuppressWarnings("unchecked")
        private static final Optional<Duration>[] MADE = new Optional[SLOTS];

        static Optional<Duration> of(long millis) {
            int slot = (int) (millis & (SLOTS - 1));
            Optional<Duration> made = MADE[slot];
            if (made != null && made.get().toMillis() == millis) {
                return made;
            }
            made = Optional.of(Duration.ofMillis(millis));
            MADE[slot] = made; // an Optional of a Duration is immutable: safe to publish by a race
            return made;
        }
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return TransportFailures.classify(error);
    }

    /** A future whose cancellation cancels the JDK's exchange too (no completion stage needed for it). */
    private static final class Linked<V> extends CompletableFuture<V> {
        private volatile CompletableFuture<?> sent;

        void link(CompletableFuture<?> exchange) {
            sent = exchange;
            if (isCancelled()) {
                exchange.cancel(true);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            CompletableFuture<?> exchange = sent;
            if (exchange != null) {
                exchange.cancel(true);
            }
            return cancelled;
        }
    }
}
