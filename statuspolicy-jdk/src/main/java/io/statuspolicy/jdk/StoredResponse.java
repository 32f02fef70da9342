package io.statuspolicy.jdk;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A response the adapter hands back without it coming straight off the wire as the JDK made it:
 * a stored copy answering a 304, a response given its chain of earlier responses, or an earlier
 * response itself (with no body) in that chain. Immutable.
 */
final class StoredResponse<T> implements HttpResponse<T> {
    private final int status;
    private final HttpHeaders headers;
    private final T body;
    private final HttpRequest request;
    private final URI uri;
    private final HttpClient.Version version;
    private final Optional<SSLSession> session;
    private final HttpResponse<T> previous;

    StoredResponse(int status, HttpHeaders headers, T body, HttpRequest request, HttpClient.Version version,
            HttpResponse<T> previous) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.request = request;
        this.uri = request.uri();
        this.version = version;
        this.session = Optional.empty();
        this.previous = previous;
    }

    StoredResponse(HttpResponse<T> received, T body, HttpResponse<T> previous) {
        this.status = received.statusCode();
        this.headers = received.headers();
        this.body = body;
        this.request = received.request();
        this.uri = received.uri();
        this.version = received.version();
        this.session = received.sslSession();
        this.previous = previous;
    }

    @Override
    public int statusCode() {
        return status;
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
        return headers;
    }

    @Override
    public T body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return session;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public HttpClient.Version version() {
        return version;
    }

    @Override
    public String toString() {
        return "(" + request.method() + " " + uri + ") " + status;
    }
}
