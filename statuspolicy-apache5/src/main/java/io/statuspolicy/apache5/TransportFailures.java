package io.statuspolicy.apache5;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.ClientFailures;
import java.net.SocketTimeoutException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;

/**
 * Maps HttpClient 5's exceptions, classic and async, to what the decision function needs to know:
 * whether the request can have reached the server (RFC 9110 §9.2.2).
 */
final class TransportFailures {
    private TransportFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return ClientFailures.classify(error, TransportFailures::own);
    }

    /** What only HttpClient 5 throws, and its reading of a socket timeout; the rest is {@link ClientFailures#javaNetKind}. */
    private static TransportFailure.Kind own(Throwable t) {
        // Order matters: both timeouts of a connect and a lease are InterruptedIOExceptions.
        if (t instanceof ConnectTimeoutException || t instanceof ConnectionRequestTimeoutException) {
            return TransportFailure.Kind.CONNECT_TIMEOUT; // never connected (or no connection leased)
        }
        if (t instanceof SocketTimeoutException) {
            return TransportFailure.Kind.RESPONSE_TIMEOUT; // the response timeout, or the call's deadline
        }
        if (t instanceof NoHttpResponseException) {
            return TransportFailure.Kind.CONNECTION_LOST; // sent, and the connection closed without a response
        }
        if (t instanceof HttpException) {
            return TransportFailure.Kind.MALFORMED_RESPONSE; // a status line or header HttpClient could not parse
        }
        if (t instanceof RequestFailedException) {
            return TransportFailure.Kind.CANCELLED; // "Request aborted"
        }
        return null;
    }
}
