package io.statuspolicy.okhttp;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.ClientFailures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;

/** Maps OkHttp's exceptions to what the decision function needs to know. */
final class OkHttpFailures {
    private OkHttpFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return ClientFailures.classify(error, OkHttpFailures::own);
    }

    static TransportFailure.Kind kind(Throwable error) {
        return classify(error).kind();
    }

    /** What only OkHttp throws, or says in a message; the rest is {@link ClientFailures#javaNetKind}. */
    private static TransportFailure.Kind own(Throwable t) {
        if (t instanceof ConnectionShutdownException) {
            // HTTP/2: the connection was shutting down before the stream was created, so the
            // request never left (OkHttp itself treats it as "send not started").
            return TransportFailure.Kind.CONNECT_FAILED;
        }
        if (t instanceof StreamResetException reset && reset.errorCode == ErrorCode.REFUSED_STREAM) {
            // RFC 9113 §8.7: REFUSED_STREAM means the server did no processing of the request.
            return TransportFailure.Kind.CONNECT_FAILED;
        }
        if (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)
                && "timeout".equals(t.getMessage())) {
            return TransportFailure.Kind.RESPONSE_TIMEOUT; // the client's callTimeout
        }
        if (t instanceof IOException && "Canceled".equals(t.getMessage())) {
            return TransportFailure.Kind.CANCELLED;
        }
        return null;
    }
}
