package io.statuspolicy.okhttp;

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
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;

/** Maps OkHttp's exceptions to what the decision function needs to know. */
final class OkHttpFailures {
    private OkHttpFailures() {
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
                // Socket.connect says "Connect timed out"; a read says "timeout" or "Read timed out".
                String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                return message.contains("connect") ? TransportFailure.Kind.CONNECT_TIMEOUT
                        : TransportFailure.Kind.RESPONSE_TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof ConnectionShutdownException) {
                // HTTP/2: the connection was shutting down before the stream was created, so the
                // request never left (OkHttp itself treats it as "send not started").
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof StreamResetException reset && reset.errorCode == ErrorCode.REFUSED_STREAM) {
                // RFC 9113 §8.7: REFUSED_STREAM means the server did no processing of the request.
                return TransportFailure.Kind.CONNECT_FAILED;
            }
            if (t instanceof SSLException) {
                return TransportFailure.Kind.TLS;
            }
            if (t instanceof ProtocolException) {
                return TransportFailure.Kind.MALFORMED_RESPONSE;
            }
            if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
                return TransportFailure.Kind.RESPONSE_TIMEOUT; // the client's callTimeout
            }
            if (t instanceof InterruptedIOException || t instanceof InterruptedException
                    || (t instanceof IOException && "Canceled".equals(t.getMessage()))) {
                return TransportFailure.Kind.CANCELLED;
            }
        }
        // "unexpected end of stream", "Connection reset", a stream reset of another kind: the
        // request may have reached the server, so only a repeatable request is sent again.
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
