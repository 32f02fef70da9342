package io.statuspolicy.feign;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.ClientFailures;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;

/**
 * Maps what Feign's clients throw (java.net's exceptions for {@code Client.Default}, OkHttp's
 * and HttpClient's for theirs, all {@link IOException}s) to what the decision function needs.
 */
final class FeignFailures {
    private FeignFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return ClientFailures.classify(error, FeignFailures::own);
    }

    static TransportFailure.Kind kind(Throwable error) {
        return classify(error).kind();
    }

    /** What Feign's clients say in their own words; the rest is {@link ClientFailures#javaNetKind}. */
    private static TransportFailure.Kind own(Throwable t) {
        if (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException)
                && "timeout".equals(t.getMessage())) {
            return TransportFailure.Kind.RESPONSE_TIMEOUT; // OkHttp's callTimeout
        }
        if (t instanceof IOException && "Canceled".equals(t.getMessage())) {
            return TransportFailure.Kind.CANCELLED;
        }
        if (t instanceof IOException && String.valueOf(t.getMessage()).startsWith("Invalid status(")) {
            return TransportFailure.Kind.MALFORMED_RESPONSE; // Client.Default: no parsable status line
        }
        return null;
    }
}
