package io.statuspolicy.decision;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a call stands: what it has tried so far. Immutable; the executor starts it with
 * {@link Decider#start} and moves it on with {@link #after(Decision)} each time it carries
 * out a decision.
 *
 * @param retries                 retries made (backoff retries, not redirects or repairs)
 * @param sends                   requests sent so far in this call, every kind included
 * @param redirects               redirects followed
 * @param lastRetryStatus         the status of the last retry (0 for a transport failure or none)
 * @param sameStatusRetries       consecutive retries for {@code lastRetryStatus}
 * @param startMillis             when the call started, on the executor's clock
 * @param deadlineMillis          when the call's overall deadline passes, on the same clock
 * @param originRefreshed         origin credentials were refreshed once in this call
 * @param proxyRefreshed          proxy credentials were refreshed once in this call
 * @param contentLengthResent     the request was resent with a Content-Length after a 411
 * @param credentialsDropped      a hop went to another origin: credentials stay dropped for the
 *                                rest of the chain
 * @param firstMethod             the method of the call's first request
 * @param firstUri                the URI of the call's first request
 * @param visited                 "METHOD uri" of every hop after a redirect, for loop detection (no
 *                                fragments); empty until the first redirect, so a call that is never
 *                                redirected builds no list
 */
public record AttemptState(
        int retries,
        int sends,
        int redirects,
        int lastRetryStatus,
        int sameStatusRetries,
        long startMillis,
        long deadlineMillis,
        boolean originRefreshed,
        boolean proxyRefreshed,
        boolean contentLengthResent,
        boolean credentialsDropped,
        String firstMethod,
        URI firstUri,
        List<String> visited) {

    public AttemptState {
        Objects.requireNonNull(firstMethod, "firstMethod");
        Objects.requireNonNull(firstUri, "firstUri");
        visited = List.copyOf(visited);
    }

    /** The state before the first attempt of a call to {@code method uri}. */
    static AttemptState first(String method, URI uri, long nowMillis, long deadlineMillis) {
        return new AttemptState(0, 1, 0, 0, 0, nowMillis, deadlineMillis, false, false, false, false, method, uri,
                List.of());
    }

    /** The attempt number of the request whose outcome is decided next (1 for the first). */
    public int attempt() {
        return retries + 1;
    }

    /** Whether the credentials of {@code target} were refreshed already in this call. */
    public boolean refreshed(CredentialTarget target) {
        return target == CredentialTarget.ORIGIN ? originRefreshed : proxyRefreshed;
    }

    /** Milliseconds left before the deadline at {@code nowMillis}; negative once it passed. */
    public long remainingMillis(long nowMillis) {
        return deadlineMillis - nowMillis;
    }

    /** The state after the executor carried out {@code decision}. Terminal decisions change nothing. */
    public AttemptState after(Decision decision) {
        Objects.requireNonNull(decision, "decision");
        if (decision instanceof Decision.Retry retry) {
            boolean same = retry.status() == lastRetryStatus && retries > 0;
            return new AttemptState(retries + 1, sends + 1, redirects, retry.status(),
                    same ? sameStatusRetries + 1 : 1, startMillis, deadlineMillis, originRefreshed,
                    proxyRefreshed, contentLengthResent, credentialsDropped, firstMethod, firstUri, visited);
        }
        if (decision instanceof Decision.FollowRedirect follow) {
            List<String> hops = new ArrayList<>(visited.size() + 2);
            if (visited.isEmpty()) {
                hops.add(hopKey(firstMethod, firstUri));
            }
            hops.addAll(visited);
            hops.add(hopKey(follow.method(), follow.target()));
            return new AttemptState(retries, sends + 1, redirects + 1, lastRetryStatus, sameStatusRetries,
                    startMillis, deadlineMillis, originRefreshed, proxyRefreshed, contentLengthResent,
                    credentialsDropped || follow.dropCredentials(), firstMethod, firstUri, hops);
        }
        if (decision instanceof Decision.RefreshCredentials refresh) {
            boolean origin = refresh.target() == CredentialTarget.ORIGIN;
            return new AttemptState(retries, sends + 1, redirects, lastRetryStatus, sameStatusRetries, startMillis,
                    deadlineMillis, originRefreshed || origin, proxyRefreshed || !origin, contentLengthResent,
                    credentialsDropped, firstMethod, firstUri, visited);
        }
        if (decision instanceof Decision.ResendWithContentLength) {
            return new AttemptState(retries, sends + 1, redirects, lastRetryStatus, sameStatusRetries, startMillis,
                    deadlineMillis, originRefreshed, proxyRefreshed, true, credentialsDropped, firstMethod, firstUri,
                    visited);
        }
        return this;
    }

    /** Whether a hop to {@code method uri} was made already in this call. */
    boolean visited(String method, URI uri) {
        String key = hopKey(method, uri);
        return visited.isEmpty() ? key.equals(hopKey(firstMethod, firstUri)) : visited.contains(key);
    }

    static String hopKey(String method, URI uri) {
        String text = uri.toString();
        int hash = text.indexOf('#');
        return method + ' ' + (hash < 0 ? text : text.substring(0, hash));
    }
}
