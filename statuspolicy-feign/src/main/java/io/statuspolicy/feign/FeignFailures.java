package io.statuspolicy.feign;

import io.statuspolicy.engine.DeadlinePassed;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Maps what Feign's clients throw (java.net's exceptions for {@code Client.Default}, OkHttp's
 * and HttpClient's for theirs, all {@link IOException}s) to what the decision function needs.
 */
final class FeignFailures {
    private FeignFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return new TransportFailure(kind(error), describe(error));
    }

    static TransportFailure.Kind kind(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DeadlinePassed) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof SocketTimeoutException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return message.contains("connect") ? TransportFailure.Kind.CONNECT_TIMEOUT
                        : TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof SSLException) {
                return TransportFailure.Kind.TLS;
            }
            if (t instanceof ProtocolException) {
                return TransportFailure.Kind.MALFORMED_RESPONSE;
            }
            if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT; // OkHttp's callTimeout
            }
            if (t instanceof InterruptedIOException || t instanceof InterruptedException
                    || (t instanceof IOException && "Canceled".equals(t.getMessage()))) {
                return TransportFailure.Kind.CANCELLED;
            }
            if (t instanceof IOException && String.valueOf(t.getMessage()).startsWith("Invalid status(")) {
                return TransportFailure.Kind.MALFORMED_RESPONSE; // Client.Default: no parsable status line
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
