package io.statuspolicy.jdk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * The response handed to the caller, made as soon as the caller's body handler completes: from
 * the head the JDK reported, the request that was sent and the body. It does not wait for the
 * JDK's own future of the exchange, which the JDK completes on another thread (its
 * {@code sendAsync} hands completion to an executor: on a small machine, a new thread each
 * time); only {@link #sslSession()} asks that future, which is done by then or a moment later.
 * Immutable.
 */
final class ReadResponse<T> implements HttpResponse<T> {
    private final HttpResponse.ResponseInfo info;
    private final HttpRequest request;
    private final T body;
    private final HttpResponse<T> previous;
    private final JdkExchange<T> exchange;

    ReadResponse(HttpResponse.ResponseInfo info, HttpRequest request, T body, HttpResponse<T> previous,
            JdkExchange<T> exchange) {
        this.info = info;
        this.request = request;
        this.body = body;
        this.previous = previous;
        this.exchange = exchange;
    }

    @Override
    public int statusCode() {
        return info.statusCode();
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return Optional.ofNullable(previous);
    }

    @Override
    public HttpHeaders headers() {
        return info.headers();
    }

    @Override
    public T body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        if (!"https".equalsIgnoreCase(request.uri().getScheme())) {
            return Optional.empty();
        }
        return exchange.sslSession();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public HttpClient.Version version() {
        return info.version();
    }

    @Override
    public String toString() {
        return "(" + request.method() + " " + request.uri() + ") " + info.statusCode();
    }
}
