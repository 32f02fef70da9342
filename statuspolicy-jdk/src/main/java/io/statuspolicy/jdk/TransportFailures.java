package io.statuspolicy.jdk;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.ClientFailures;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/** Maps the JDK client's exceptions to what the decision function needs to know. */
final class TransportFailures {
    private TransportFailures() {
    }

    static TransportFailure classify(Throwable error) {
        return ClientFailures.classify(error, TransportFailures::own);
    }

    /** What only java.net.http throws; the rest is {@link ClientFailures#javaNetKind}. */
    private static TransportFailure.Kind own(Throwable t) {
        if (t instanceof HttpConnectTimeoutException) {
            return TransportFailure.Kind.CONNECT_TIMEOUT;
        }
        if (t instanceof HttpTimeoutException) {
            return TransportFailure.Kind.RESPONSE_TIMEOUT;
        }
        return null;
    }
}
