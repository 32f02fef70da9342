package io.statuspolicy.jdk;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import javax.net.ssl.SSLException;

/** Maps the JDK client's exceptions to what the decision function needs to know. */
final class TransportFailures {
    private TransportFailures() {
    }

    static TransportFailure classify(Throwable error) {
        TransportFailure.Kind kind = kind(error);
        return new TransportFailure(kind, describe(error));
    }

    private static TransportFailure.Kind kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return TransportFailure.Kind.CONNECT_TIMEOUT;
            }
            if (t instanceof HttpTimeoutException) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof UnresolvedAddressException) {
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
        // "Connection reset", "closed", "EOF", "header parser received no bytes": the request
        // may have reached the server, so only a repeatable request is sent again.
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
