package io.statuspolicy.spring;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.ClientFailures;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

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
        return ClientFailures.classify(error, SpringFailures::own);
    }

    static TransportFailure.Kind kind(Throwable error) {
        return classify(error).kind();
    }

    /** What the JDK request factory's client throws; the rest is {@link ClientFailures#javaNetKind}. */
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
