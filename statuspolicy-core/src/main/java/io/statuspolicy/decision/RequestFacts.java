package io.statuspolicy.decision;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What the decision function needs to know about the request of one hop. Immutable; an executor
 * builds it once per call and again after each redirect.
 *
 * @param method                  the request method exactly as it is sent; methods are
 *                                case-sensitive (RFC 9110 §9.1), so {@code get} is not GET but an
 *                                unknown method, neither safe nor idempotent
 * @param uri                     the absolute request URI
 * @param hasBody                 whether the request carries content
 * @param bodyReplayable          whether that content can be sent again byte for byte
 * @param contentLengthSent       whether the request went out with a {@code Content-Length}
 * @param hasIdempotencyKey       whether the request carries an {@code Idempotency-Key}
 * @param retrySafe               the caller marked the request safe to repeat
 * @param awaitResource           how long a 404 may be awaited for this request, or null for the
 *                                policy's setting
 * @param deadline                this call's overall deadline, or null for the policy's
 * @param conditional             whose validators the request carries
 * @param cachedCopyAvailable     the executor holds a stored response to answer a 304 with
 * @param originCredentials       a credential source can supply fresh {@code Authorization}
 * @param proxyCredentials        a proxy is in use and can be given fresh credentials
 */
public record RequestFacts(
        String method,
        URI uri,
        boolean hasBody,
        boolean bodyReplayable,
        boolean contentLengthSent,
        boolean hasIdempotencyKey,
        boolean retrySafe,
        Duration awaitResource,
        Duration deadline,
        Conditional conditional,
        boolean cachedCopyAvailable,
        boolean originCredentials,
        boolean proxyCredentials) {

    /**
     * Validates the fields. The method must be a token (RFC 9110 §9.1, §5.6.2) and is kept as
     * given: it is never case-folded, because the executor sends it as given.
     */
    public RequestFacts {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(conditional, "conditional");
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("request URI must be absolute, was " + uri);
        }
        if (method.isEmpty()) {
            throw new IllegalArgumentException("request method must not be empty");
        }
        if (!isToken(method)) {
            throw new IllegalArgumentException("request method must be a token (RFC 9110 §9.1), was \""
                    + method.replaceAll("[^\\x21-\\x7e]", "?") + "\"");
        }
        if (awaitResource != null && awaitResource.isNegative()) {
            throw new IllegalArgumentException("awaitResource must not be negative, was " + awaitResource);
        }
        if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
    }

    /** A request without body, validators or credentials. */
    public static RequestFacts of(String method, URI uri) {
        return new RequestFacts(method, uri, false, false, false, false, false, null, null, Conditional.NONE,
                false, false, false);
    }

    /** RFC 9110 §5.6.2: {@code token = 1*tchar}. */
    static boolean isToken(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    /** Whether the method is idempotent or the request is otherwise known to be safe to repeat. */
    public boolean repeatable() {
        return Methods.isIdempotent(method) || hasIdempotencyKey || retrySafe;
    }

    public RequestFacts withMethod(String value) {
        return new RequestFacts(value, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey, retrySafe,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withUri(URI value) {
        return new RequestFacts(method, value, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials,
                proxyCredentials);
    }

    /** A copy with content: {@code replayable} says whether it can be sent again. */
    public RequestFacts withBody(boolean replayable, boolean lengthSent) {
        return new RequestFacts(method, uri, true, replayable, lengthSent, hasIdempotencyKey, retrySafe,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    /** A copy without content (after a redirect that turns the request into a GET). */
    public RequestFacts withoutBody() {
        return new RequestFacts(method, uri, false, false, false, hasIdempotencyKey, retrySafe,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withContentLengthSent(boolean value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, value, hasIdempotencyKey, retrySafe,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withIdempotencyKey(boolean value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, value, retrySafe,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withRetrySafe(boolean value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey, value,
                awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withAwaitResource(Duration value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, value, deadline, conditional, cachedCopyAvailable, originCredentials, proxyCredentials);
    }

    public RequestFacts withDeadline(Duration value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, awaitResource, value, conditional, cachedCopyAvailable, originCredentials,
                proxyCredentials);
    }

    /** A copy with validators of {@code whose}, and whether a stored copy backs them. */
    public RequestFacts withConditional(Conditional whose, boolean cachedCopy) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, awaitResource, deadline, whose, cachedCopy, originCredentials, proxyCredentials);
    }

    public RequestFacts withOriginCredentials(boolean value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, awaitResource, deadline, conditional, cachedCopyAvailable, value, proxyCredentials);
    }

    public RequestFacts withProxyCredentials(boolean value) {
        return new RequestFacts(method, uri, hasBody, bodyReplayable, contentLengthSent, hasIdempotencyKey,
                retrySafe, awaitResource, deadline, conditional, cachedCopyAvailable, originCredentials, value);
    }
}
