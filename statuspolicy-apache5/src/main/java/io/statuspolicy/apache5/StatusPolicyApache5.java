package io.statuspolicy.apache5;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import java.util.Objects;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Makes an Apache HttpClient 5 follow the policy: installs the engine as the outermost element
 * of the client's exec chain, classic or async, and switches off what the client would otherwise
 * decide on its own.
 *
 * <pre>{@code
 * PolicyEngine engine = PolicyEngine.builder().policy(Policy.guideline()).build();
 * CloseableHttpClient client = StatusPolicyApache5.of(engine).install(HttpClients.custom()).build();
 * CloseableHttpAsyncClient async = StatusPolicyApache5.of(engine).install(HttpAsyncClients.custom()).build();
 * }</pre>
 *
 * <p>{@code install} calls {@code disableAutomaticRetries()} (HttpClient would resend 429 and
 * 503 for any method, with an uncapped {@code Retry-After}), {@code disableRedirectHandling()}
 * (it would follow 50 redirects with its own method rules), {@code disableAuthCaching()} and sets
 * a default {@link RequestConfig} with authentication and redirects off (its challenge loop would
 * answer 401 and 407 from a {@code CredentialsProvider}; give the engine a
 * {@code CredentialSource} instead). It also sets the route planner, which the handler needs to
 * route a redirect to another host: {@link #withRoutePlanner} names the one to use (a proxy);
 * a {@code setProxy}, {@code setProxySelector} or {@code setRoutePlanner} on the builder after
 * {@code install} is not seen by the handler.
 *
 * <p>Refused: a builder from {@code httpclient5-cache} (its cache sits below the policy and
 * answers 304s itself), and, at call time, a request whose {@link RequestConfig} turns
 * authentication or redirects back on.
 *
 * <p>Per-call options travel in the {@link HttpContext}: set {@link #CALL_OPTIONS} to a
 * {@link CallOptions}, or use {@link #context(CallOptions)}.
 *
 * <p>Immutable and thread-safe; {@code with...} return copies. Defaults: no proxy (a
 * {@link DefaultRoutePlanner}), request bodies that cannot be replayed buffered up to 8 MiB,
 * response bodies of a known length up to 64 KiB read whole before they are returned.
 */
public final class StatusPolicyApache5 {
    /**
     * The {@link HttpContext} attribute, {@value}, that carries a call's {@link CallOptions}.
     */
    public static final String CALL_OPTIONS = "io.statuspolicy.call-options";

    /** The name of the exec chain element this installs, first in the chain. */
    public static final String CHAIN_ELEMENT = "statuspolicy";

    private final PolicyEngine engine;
    private final HttpRoutePlanner routePlanner;
    private final long bodyBufferLimit;
    private final int responseBufferLimit;

    private StatusPolicyApache5(PolicyEngine engine, HttpRoutePlanner routePlanner, long bodyBufferLimit,
            int responseBufferLimit) {
        this.engine = engine;
        this.routePlanner = routePlanner;
        this.bodyBufferLimit = bodyBufferLimit;
        this.responseBufferLimit = responseBufferLimit;
    }

    /** The adapter for {@code engine}, with the defaults. */
    public static StatusPolicyApache5 of(PolicyEngine engine) {
        return new StatusPolicyApache5(Objects.requireNonNull(engine, "engine"),
                new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE), 8L * 1024 * 1024, 64 * 1024);
    }

    /**
     * The route planner for every request and every redirect (for example a
     * {@code DefaultProxyRoutePlanner} or a {@code SystemDefaultRoutePlanner}); {@code install}
     * sets it on the builder, so the client and the handler route alike.
     */
    public StatusPolicyApache5 withRoutePlanner(HttpRoutePlanner value) {
        return new StatusPolicyApache5(engine, Objects.requireNonNull(value, "routePlanner"), bodyBufferLimit,
                responseBufferLimit);
    }

    /**
     * How much of a classic request entity that is not repeatable is read into memory so that it
     * can be sent again (default 8 MiB); a longer one is sent once and never repeated.
     */
    public StatusPolicyApache5 withBodyBufferLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bodyBufferLimit must not be negative, was " + bytes);
        }
        return new StatusPolicyApache5(engine, routePlanner, bytes, responseBufferLimit);
    }

    /**
     * Response bodies with a {@code Content-Length} up to this many bytes are read whole before
     * the response is returned (default 64 KiB), so a body cut off on the way is a failed attempt
     * the policy may retry; longer or chunked bodies stream to the caller, and a break reaches
     * the caller as an {@code IOException}. 0 streams every body.
     */
    public StatusPolicyApache5 withResponseBufferLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("responseBufferLimit must not be negative, was " + bytes);
        }
        return new StatusPolicyApache5(engine, routePlanner, bodyBufferLimit, bytes);
    }

    /**
     * Installs the policy on a classic client's builder and switches off the client's own
     * retries, redirects and authentication; returns the builder.
     *
     * @throws IllegalArgumentException for a {@code CachingHttpClientBuilder} (httpclient5-cache)
     */
    public HttpClientBuilder install(HttpClientBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        refuseCaching(builder);
        return builder.disableAutomaticRetries()
                .disableRedirectHandling()
                .disableAuthCaching()
                .setDefaultRequestConfig(DEFAULT_REQUEST_CONFIG)
                .setRoutePlanner(routePlanner)
                .addExecInterceptorFirst(CHAIN_ELEMENT, new ClassicPolicyHandler(this));
    }

    /**
     * Installs the policy on an async client's builder and switches off the client's own
     * retries, redirects and authentication; returns the builder.
     *
     * @throws IllegalArgumentException for a caching builder (httpclient5-cache)
     */
    public HttpAsyncClientBuilder install(HttpAsyncClientBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        refuseCaching(builder);
        return builder.disableAutomaticRetries()
                .disableRedirectHandling()
                .disableAuthCaching()
                .setDefaultRequestConfig(DEFAULT_REQUEST_CONFIG)
                .setRoutePlanner(routePlanner)
                .addExecInterceptorFirst(CHAIN_ELEMENT, new AsyncPolicyHandler(this));
    }

    /** A new context carrying {@code options} for one call. */
    public static HttpClientContext context(CallOptions options) {
        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(CALL_OPTIONS, Objects.requireNonNull(options, "options"));
        return context;
    }

    /** The default request configuration {@code install} sets: authentication and redirects off. */
    public static final RequestConfig DEFAULT_REQUEST_CONFIG = RequestConfig.custom()
            .setAuthenticationEnabled(false)
            .setRedirectsEnabled(false)
            .build();

    PolicyEngine engine() {
        return engine;
    }

    HttpRoutePlanner routePlanner() {
        return routePlanner;
    }

    long bodyBufferLimit() {
        return bodyBufferLimit;
    }

    int responseBufferLimit() {
        return responseBufferLimit;
    }

    /** The call's options from its context, or the defaults. */
    static CallOptions options(HttpContext context) {
        Object value = context == null ? null : context.getAttribute(CALL_OPTIONS);
        if (value == null) {
            return CallOptions.DEFAULT;
        }
        if (value instanceof CallOptions options) {
            return options;
        }
        throw new IllegalArgumentException("the context attribute " + CALL_OPTIONS + " must be a "
                + CallOptions.class.getName() + ", was " + value.getClass().getName());
    }

    /**
     * Refuses a call whose configuration would let HttpClient answer for itself below the policy:
     * its challenge loop (401, 407) or redirects, turned back on for this request.
     */
    static void refuseClientDecisions(RequestConfig config) {
        if (config.isAuthenticationEnabled()) {
            throw new IllegalStateException("statuspolicy: this request's RequestConfig has authenticationEnabled=true, "
                    + "so HttpClient would answer 401 and 407 challenges itself below the policy. Build the "
                    + "RequestConfig with setAuthenticationEnabled(false) (start from "
                    + "RequestConfig.copy(StatusPolicyApache5.DEFAULT_REQUEST_CONFIG)) and give the engine a "
                    + "CredentialSource instead");
        }
        if (config.isRedirectsEnabled()) {
            throw new IllegalStateException("statuspolicy: this request's RequestConfig has redirectsEnabled=true; "
                    + "the policy decides every redirect, and HttpClient's redirect settings (maxRedirects, "
                    + "circularRedirectsAllowed) would not apply. Build the RequestConfig with "
                    + "setRedirectsEnabled(false) (start from RequestConfig.copy(StatusPolicyApache5.DEFAULT_REQUEST_CONFIG))");
        }
    }

    /** The call's configuration with a response timeout no longer than the time left for the attempt. */
    static RequestConfig configFor(RequestConfig config, long timeoutMillis) {
        if (timeoutMillis == Long.MAX_VALUE) {
            return config;
        }
        long left = Math.max(1, timeoutMillis);
        org.apache.hc.core5.util.Timeout configured = config.getResponseTimeout();
        if (configured != null && configured.isEnabled() && configured.toMilliseconds() <= left) {
            return config;
        }
        return RequestConfig.copy(config).setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(left))
                .build();
    }

    private static void refuseCaching(Object builder) {
        if (builder.getClass().getName().startsWith("org.apache.hc.client5.http.impl.cache.")) {
            throw new IllegalArgumentException("statuspolicy: " + builder.getClass().getSimpleName()
                    + " (httpclient5-cache) answers 304s and serves stored responses below the policy, which "
                    + "would then decide on responses that never came from the server. Use a plain "
                    + "HttpClients.custom() / HttpAsyncClients.custom() builder and give the engine a ResponseStore "
                    + "for conditional requests");
        }
    }

    @Override
    public String toString() {
        return "StatusPolicyApache5[" + engine + "]";
    }
}
