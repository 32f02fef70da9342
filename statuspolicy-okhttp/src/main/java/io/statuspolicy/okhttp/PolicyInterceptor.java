package io.statuspolicy.okhttp;

import io.statuspolicy.engine.PolicyEngine;
import java.io.IOException;
import java.io.InterruptedIOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The application interceptor that runs every {@code execute()} of the client through the
 * engine: one {@code chain.proceed} per attempt, waits on the calling thread. An attempt that
 * {@link PolicyCallFactory} sends on its own (marked with an {@link AttemptMark} tag) passes
 * through once, with the client's own follow-ups switched off, since the policy already runs
 * around it.
 */
final class PolicyInterceptor implements Interceptor {
    private final PolicyEngine engine;
    private final long bufferLimit;

    PolicyInterceptor(PolicyEngine engine, long bufferLimit) {
        this.engine = engine;
        this.bufferLimit = bufferLimit;
    }

    PolicyEngine engine() {
        return engine;
    }

    long bufferLimit() {
        return bufferLimit;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (chain.getFollowRedirects()) {
            throw new IllegalStateException("this OkHttpClient follows redirects itself (followRedirects(true)), "
                    + "so OkHttp and the policy would both decide them. Build it with "
                    + "StatusPolicyOkHttp.install(builder, engine), or call followRedirects(false) after install");
        }
        Request request = chain.request();
        AttemptMark mark = request.tag(AttemptMark.class);
        if (mark != null) {
            return HeadGuard.restore(ChainTransport.neutral(chain, mark.sameOrigin()).proceed(request));
        }
        AttemptRequests requests = new AttemptRequests(request);
        try {
            return engine.execute(requests.spec(), new ChainTransport(chain, requests, bufferLimit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException(
                    "the call was interrupted; no further attempt was made");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /** Marks a request as one attempt of a call the policy already runs (see {@link PolicyCallFactory}). */
    record AttemptMark(boolean sameOrigin) {
    }

    @Override
    public String toString() {
        return "statuspolicy " + engine.policy();
    }
}
