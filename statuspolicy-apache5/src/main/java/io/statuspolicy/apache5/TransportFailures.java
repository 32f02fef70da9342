package io.statuspolicy.apache5;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
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
        return new TransportFailure(kind(error), describe(error));
    }

    private static TransportFailure.Kind kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Order matters: both timeouts of a connect and a lease are InterruptedIOExceptions.
            if (t instanceof ConnectTimeoutException || t instanceof ConnectionRequestTimeoutException) {
                return TransportFailure.Kind.CONNECT_TIMEOUT; // never connected (or no connection leased)
            }
            if (t instanceof HttpHostConnectException || t instanceof ConnectException
                    || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof UnresolvedAddressException) {
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof SocketTimeoutException) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT; // the response timeout, or the call's deadline
            }
            if (t instanceof NoHttpResponseException) {
                return TransportFailure.Kind.CONNECTION_LOST; // sent, and the connection closed without a response
            }
            if (t instanceof SSLException) {
                return TransportFailure.Kind.TLS;
            }
            if (t instanceof HttpException || t instanceof java.net.ProtocolException) {
                return TransportFailure.Kind.MALFORMED_RESPONSE; // a status line or header HttpClient could not parse
            }
            if (t instanceof RequestFailedException || t instanceof CancellationException
                    || t instanceof InterruptedIOException || t instanceof InterruptedException) {
                return TransportFailure.Kind.CANCELLED; // "Request aborted", a cancelled future
            }
        }
        // "Connection reset", "Connection closed by peer", a truncated body: the request may have
        // reached the server, so only a repeatable request is sent again.
        return error instanceof IOException ? TransportFailure.Kind.CONNECTION_LOST : TransportFailure.Kind.OTHER;
    }

    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }
}
