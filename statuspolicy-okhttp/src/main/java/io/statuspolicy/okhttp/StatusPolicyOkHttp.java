package io.statuspolicy.okhttp;

import io.statuspolicy.engine.PolicyEngine;
import java.util.Objects;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * Makes an OkHttp client follow the policy: one line on its builder.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder().policy(Policy.guideline()).build();
 * OkHttpClient client = StatusPolicyOkHttp.install(new OkHttpClient.Builder(), engine).build();
 *
 * Response response = client.newCall(request).execute();        // the policy decides every attempt
 * Call.Factory calls = StatusPolicyOkHttp.callFactory(client);   // enqueue() that holds no thread while it waits
 * }</pre>
 *
 * <p>What {@code install} does to the builder, so that the policy is the only thing that repeats
 * a request, follows a redirect, answers a challenge or serves a stored copy:
 * <ul>
 *   <li>{@code followRedirects(false)} and {@code followSslRedirects(false)}: an interceptor
 *       cannot turn redirects off for its chain, so the client must not follow them; a client
 *       built from this one with {@code followRedirects(true)} fails its calls with a message
 *       that says so;</li>
 *   <li>{@code retryOnConnectionFailure(false)}, and per attempt the same, no authenticator, no
 *       proxy authenticator and no cache (whatever the builder set);</li>
 *   <li>adds the policy's application interceptor last (interceptors added before it run once
 *       per call, those added after it once per attempt), and a network interceptor first that
 *       hides from OkHttp the two responses it acts on regardless of every switch (a 503 with
 *       {@code Retry-After: 0}, a 407 without a proxy).</li>
 * </ul>
 *
 * <p>Per-call options go in a request tag: {@code request.newBuilder().tag(CallOptions.class,
 * CallOptions.DEFAULT.withRetrySafe(true))}.
 */
public final class StatusPolicyOkHttp {
    private final PolicyEngine engine;
    private long bufferLimit;

    private StatusPolicyOkHttp(PolicyEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** Installs the policy with bodies handed on as OkHttp streams them. */
    public static OkHttpClient.Builder install(OkHttpClient.Builder builder, PolicyEngine engine) {
        return with(engine).install(builder);
    }

    /** Settings for an installation: {@code StatusPolicyOkHttp.with(engine).bufferResponseBodies(n).install(builder)}. */
    public static StatusPolicyOkHttp with(PolicyEngine engine) {
        return new StatusPolicyOkHttp(engine);
    }

    /**
     * Reads each returned response body of at most {@code bytes} bytes (and any of unknown length,
     * up to that many) before the call returns, so that a body that breaks off is a failed attempt
     * the policy retries (a GET) or explains (a {@code PolicyException} for a POST), instead of an
     * {@code IOException} in the middle of the caller's read. A longer body streams on after the
     * bytes read ahead. 0, the default, hands every body on unread (right for streams such as
     * server-sent events, which never end).
     */
    public StatusPolicyOkHttp bufferResponseBodies(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bufferResponseBodies must not be negative, was " + bytes);
        }
        this.bufferLimit = bytes;
        return this;
    }

    /** Installs the policy on {@code builder} (see the class description) and returns it. */
    public OkHttpClient.Builder install(OkHttpClient.Builder builder) {
        for (Interceptor interceptor : builder.interceptors()) {
            if (interceptor instanceof PolicyInterceptor) {
                throw new IllegalArgumentException("the builder already has the policy installed; installing it "
                        + "twice would run every attempt through the policy again");
            }
        }
        builder.followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false);
        builder.interceptors().add(new PolicyInterceptor(engine, bufferLimit));
        builder.networkInterceptors().add(0, HeadGuard.INSTANCE);
        return builder;
    }

    /**
     * Switches off everything OkHttp decides on its own, without installing the policy: for an
     * OkHttp client that another statuspolicy layer drives attempt by attempt (statuspolicy-feign
     * over feign-okhttp's client). Redirects, silent retries and the 408 resend, both
     * authenticators and the cache are off, and the two responses OkHttp acts on regardless of
     * every switch (a 503 with {@code Retry-After: 0}, resent once for any method; a 407 without a
     * proxy, turned into an exception) reach the layer above as the server sent them. Cookies are
     * the builder's: keep OkHttp's default, no cookie jar, under a layer that cannot keep cookies
     * to an origin.
     *
     * @throws IllegalArgumentException when the builder already has the policy installed
     */
    public static OkHttpClient.Builder neutral(OkHttpClient.Builder builder) {
        for (Interceptor interceptor : builder.interceptors()) {
            if (interceptor instanceof PolicyInterceptor || interceptor instanceof HeadGuard.Restore) {
                throw new IllegalArgumentException("the builder already has statuspolicy's interceptors; "
                        + "neutral(...) is for a client another policy layer drives, install(...) for one "
                        + "that runs the policy itself: use one of them, once");
            }
        }
        builder.followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .authenticator(okhttp3.Authenticator.NONE)
                .proxyAuthenticator(okhttp3.Authenticator.NONE)
                .cache(null);
        builder.interceptors().add(HeadGuard.Restore.INSTANCE);
        builder.networkInterceptors().add(0, HeadGuard.INSTANCE);
        return builder;
    }

    /**
     * The call factory for a client the policy is installed on: {@code execute()} as the client's
     * own, {@code enqueue()} with every attempt enqueued on its own and no thread held while the
     * policy waits (OkHttp's dispatcher runs at most 5 calls per host; an interceptor waiting
     * inside {@code enqueue()} would hold one of them).
     *
     * @throws IllegalArgumentException when the client was not built with {@link #install}
     */
    public static Call.Factory callFactory(OkHttpClient client) {
        for (Interceptor interceptor : client.interceptors()) {
            if (interceptor instanceof PolicyInterceptor policy) {
                if (!client.networkInterceptors().contains(HeadGuard.INSTANCE)) {
                    break;
                }
                return new PolicyCallFactory(client, policy);
            }
        }
        throw new IllegalArgumentException("the client does not follow a policy: build it with "
                + "StatusPolicyOkHttp.install(new OkHttpClient.Builder(), engine) first");
    }
}
