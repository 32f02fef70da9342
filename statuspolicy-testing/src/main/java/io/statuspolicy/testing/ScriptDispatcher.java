package io.statuspolicy.testing;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * The {@link ScriptedServer}'s brain: picks the reply for each request from the per-path
 * scripts and records every request. Thread-safe: MockWebServer calls it from one thread per
 * connection plus its accepting thread; one lock guards the scripts and the record.
 */
final class ScriptDispatcher extends Dispatcher {

    /** What {@link #peek()} returns when no new connection is to be refused. */
    private static final MockResponse ACCEPT = new MockResponse.Builder().build();

    private final Object lock = new Object();
    private final Map<String, Deque<Reply>> scripts = new LinkedHashMap<>();
    private final List<RecordedExchange> exchanges = new ArrayList<>();
    private final BlockingQueue<RecordedExchange> untaken = new LinkedBlockingQueue<>();
    private final Clock clock = Clock.systemUTC();
    private Reply otherwise;
    /** Response bodies being written right now. */
    final java.util.concurrent.atomic.AtomicInteger writing = new java.util.concurrent.atomic.AtomicInteger();

    void script(String path, List<Reply> replies) {
        synchronized (lock) {
            scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(replies);
        }
    }

    void otherwise(Reply reply) {
        synchronized (lock) {
            otherwise = reply;
        }
    }

    List<RecordedExchange> exchanges() {
        synchronized (lock) {
            return List.copyOf(exchanges);
        }
    }

    int count() {
        synchronized (lock) {
            return exchanges.size();
        }
    }

    BlockingQueue<RecordedExchange> untaken() {
        return untaken;
    }

    /**
     * Called by MockWebServer's accepting thread for each new connection, before a byte is read
     * (and, harmlessly, by connection threads, which only look at effects we never set here). A
     * response whose {@code onRequestStart} is {@code CloseSocket} makes it close the connection at
     * once and then call {@link #dispatch} with a placeholder request.
     */
    @Override
    public MockResponse peek() {
        synchronized (lock) {
            Reply refusal = refusalWaiting();
            return refusal == null ? ACCEPT : refusal.toMockResponse(writing);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        synchronized (lock) {
            RecordedExchange exchange = record(request);
            if (isRefusalPlaceholder(request)) {
                takeRefusal();
                return ACCEPT; // MockWebServer ignores it: the socket is already closed
            }
            // A DISCONNECT_AT_START reply met here came on a connection that was already open,
            // so the request is read by now: the connection is closed without a response instead.
            return next(exchange.path(), exchange.method()).toMockResponse(writing, "HEAD".equals(exchange.method()));
        }
    }

    private RecordedExchange record(RecordedRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Headers fields = request.getHeaders();
        for (int i = 0; i < fields.size(); i++) {
            headers.computeIfAbsent(fields.name(i), n -> new ArrayList<>()).add(fields.value(i));
        }
        byte[] body = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        RecordedExchange exchange = new RecordedExchange(exchanges.size(), request.getConnectionIndex(),
                clock.instant(), request.getMethod(), request.getTarget(), headers, body);
        exchanges.add(exchange);
        untaken.add(exchange);
        return exchange;
    }

    /**
     * MockWebServer records a connection it closed at accept as {@code GET /} with no header
     * fields and exchange index 0. A real HTTP/1.1 request always has a {@code Host} field
     * (RFC 9112 §3.2), so the empty header block tells the two apart.
     */
    private static boolean isRefusalPlaceholder(RecordedRequest request) {
        return request.getHeaders().size() == 0 && request.getExchangeIndex() == 0
                && "GET".equals(request.getMethod()) && "/".equals(request.getTarget());
    }

    /** The reply that makes the next new connection be refused, or null. Lock held. */
    private Reply refusalWaiting() {
        for (Deque<Reply> queue : scripts.values()) {
            if (queue.peekFirst().faultToAct() == Fault.DISCONNECT_AT_START) {
                return queue.peekFirst();
            }
        }
        return otherwise != null && otherwise.faultToAct() == Fault.DISCONNECT_AT_START ? otherwise : null;
    }

    /** Uses up the refusal that {@link #peek()} saw: the first such path in scripting order. Lock held. */
    private void takeRefusal() {
        for (Deque<Reply> queue : scripts.values()) {
            if (queue.peekFirst().faultToAct() == Fault.DISCONNECT_AT_START) {
                pop(queue);
                return;
            }
        }
    }

    private Reply next(String path, String method) {
        Deque<Reply> queue = scripts.get(path);
        if (queue != null) {
            return pop(queue);
        }
        if (otherwise != null) {
            return otherwise;
        }
        return Reply.status(599).body("statuspolicy-testing: no reply scripted for " + method + " " + path);
    }

    /** The head of a path's script; the last reply stays, so it answers every later request. */
    private static Reply pop(Deque<Reply> queue) {
        return queue.size() > 1 ? queue.pollFirst() : queue.peekFirst();
    }
}
