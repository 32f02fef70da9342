package io.statuspolicy.engine;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The part of classifying a client's failure that every adapter shares: the cause chain walked
 * link by link, java.net's and the JDK's own exceptions, the engine's {@link DeadlinePassed}, the
 * fallback, and a secret-free detail. An adapter passes what only its client throws; that is asked
 * first on each link.
 */
public final class ClientFailures {

    private ClientFailures() {
    }

    /**
     * {@code error} as the decision function sees it: on each link of its cause chain, first
     * {@code ownKind} (the client's own exceptions; null when it does not know the link), then
     * {@link #javaNetKind}; the first link either knows decides. Nothing known: an
     * {@code IOException} is a lost connection (the request may have reached the server, so only
     * a repeatable request is sent again), anything else {@code OTHER}.
     */
    public static TransportFailure classify(Throwable error, Function<Throwable, TransportFailure.Kind> ownKind) {
        return new TransportFailure(kind(error, ownKind), describe(error));
    }

    static TransportFailure.Kind kind(Throwable error, Function<Throwable, TransportFailure.Kind> ownKind) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            TransportFailure.Kind kind = ownKind.apply(t);
            if (kind == null) {
                kind = javaNetKind(t);
            }
            if (kind != null) {
                return kind;
            }
        }
        return error instanceof IOException ? TransportFailure.Kind.CONNECTION_LOST : TransportFailure.Kind.OTHER;
    }

    /** What one exception of java.net, javax.net.ssl or the engine means; null when it is none of them. */
    public static TransportFailure.Kind javaNetKind(Throwable t) {
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
        return null;
    }

    /** The innermost cause's class and message: what went wrong, without a URI or a header value. */
    public static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String name = root.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }
}
