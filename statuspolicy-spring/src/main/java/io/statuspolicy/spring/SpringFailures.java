package io.statuspolicy.spring;

import io.statuspolicy.engine.DeadlinePassed;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;

/**
 * Maps what Spring's request factories throw to what the decision function needs. Spring passes the
 * underlying client's exceptions through, often wrapped in a plain {@link IOException}
 * ({@code JdkClientHttpRequest}: "Request interrupted", "Request cancelled"), so the whole cause
 * chain is read: java.net and java.net.http types for the JDK and simple factories, and the
 * java.net types Apache HttpClient and Jetty also throw.
 */
final class SpringFailures {
    private SpringFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return new TransportFailure(kind(error), describe(error));
    }

    static TransportFailure.Kind kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeadlinePassed) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof HttpConnectTimeoutException) {
                return TransportFailure.Kind.CONNECT_TIMEOUT;
            }
            if (t instanceof HttpTimeoutException) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof SocketTimeoutException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return message.contains("connect") ? TransportFailure.Kind.CONNECT_TIMEOUT
                        : TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException) {
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof SSLException) {
                return TransportFailure.Kind.TLS;
            }
            if (t instanceof ProtocolException) {
                return TransportFailure.Kind.MALFORMED_RESPONSE;
            }
            if (t instanceof CancellationException || t instanceof InterruptedIOException
                    || t instanceof InterruptedException) {
                return TransportFailure.Kind.CANCELLED;
            }
        }
        // A reset, an unexpected end of stream: the request may have reached the server.
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
