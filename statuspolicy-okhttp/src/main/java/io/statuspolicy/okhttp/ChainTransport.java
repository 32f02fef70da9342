package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlinePassed;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Authenticator;
import okhttp3.ConnectionPool;
import okhttp3.CookieJar;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The engine's transport inside {@link PolicyInterceptor}, for one {@code execute()}: each attempt
 * is one {@code chain.proceed}, with OkHttp's own retries, authenticators and cache switched off
 * for that chain. The deadline cancels the call, which is over when its deadline passes.
 */
final class ChainTransport implements Transport<Response> {
    private final Interceptor.Chain chain;
    private final AttemptRequests requests;
    private final long bufferLimit;
    private OkHttpExchange last;

    ChainTransport(Interceptor.Chain chain, AttemptRequests requests, long bufferLimit) {
        this.chain = chain;
        this.requests = requests;
        this.bufferLimit = bufferLimit;
    }

    @Override
    public Exchange<Response> send(Attempt attempt) throws IOException {
        Request request = requests.request(attempt);
        boolean sameOrigin = attempt.uri() == requests.uri() || Origin.sameOrigin(attempt.uri(), requests.uri());
        Deadline deadline = Deadline.arm(chain.call(), attempt.timeoutMillis());
        Response response;
        try {
            Interceptor.Chain sender = neutral(chain, sameOrigin);
            if (attempt.freshConnection()) {
                // The retry after 421 Misdirected Request: a pool that keeps no idle connection.
                sender = sender.withConnectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS));
            }
            response = sender.proceed(request);
        } catch (IOException e) {
            deadline.disarm();
            if (deadline.passed()) {
                throw new DeadlinePassed(
                        "the call's deadline passed before the response head of " + Redaction.uri(attempt.uri()), e);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            deadline.disarm();
            throw e;
        }
        // The previous response without its body, made only when there is a next attempt.
        Response prior = last == null ? null : last.withoutBody();
        OkHttpExchange exchange = new OkHttpExchange(HeadGuard.restore(response), chain.call(), deadline, bufferLimit,
                prior);
        last = exchange;
        return exchange;
    }

    /**
     * The chain with everything OkHttp would repeat or answer on its own switched off: silent
     * retries and the 408 resend, both authenticators, the cache. Cookies stay with the call's
     * first origin: OkHttp's cookie jar matches by domain and ignores the port, so a hop to
     * another origin gets none (and stores none), as the policy's credential rules say.
     */
    static Interceptor.Chain neutral(Interceptor.Chain chain, boolean sameOrigin) {
        // Each override copies the chain: only what the client did not already switch off.
        Interceptor.Chain neutral = chain;
        if (neutral.getRetryOnConnectionFailure()) {
            neutral = neutral.withRetryOnConnectionFailure(false);
        }
        if (neutral.getAuthenticator() != Authenticator.NONE) {
            neutral = neutral.withAuthenticator(Authenticator.NONE);
        }
        if (neutral.getProxyAuthenticator() != Authenticator.NONE) {
            neutral = neutral.withProxyAuthenticator(Authenticator.NONE);
        }
        if (neutral.getCache() != null) {
            neutral = neutral.withCache(null);
        }
        return sameOrigin || neutral.getCookieJar() == CookieJar.NO_COOKIES ? neutral
                : neutral.withCookieJar(CookieJar.NO_COOKIES);
    }

    @Override
    public CompletableFuture<Exchange<Response>> sendAsync(Attempt attempt) {
        // An interceptor runs on the caller's (or the dispatcher's) thread: every attempt is
        // sent on it, also when the engine is driven asynchronously.
        try {
            return CompletableFuture.completedFuture(send(attempt));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return OkHttpFailures.classify(error);
    }
}
