package io.statuspolicy.spring;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import java.lang.reflect.Field;
import java.net.http.HttpClient;
import java.util.Objects;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring Framework 7's {@code RestClient}, {@code RestTemplate} and the HTTP service clients
 * ({@code @HttpExchange}) built on them follow the policy: one {@link ClientHttpRequestInterceptor};
 * {@code WebClient} too, through one non-blocking {@code ExchangeFilterFunction} ({@link #filter()},
 * {@link #installFilter(WebClient.Builder)}: needs spring-webflux, an optional dependency of this module).
 *
 * <pre>{@code
 * StatusPolicySpring policy = StatusPolicySpring.with(engine);
 * RestClient client = RestClient.builder()
 *         .requestFactory(StatusPolicySpring.requestFactory(HttpClient.newBuilder()))
 *         .requestInterceptors(policy::addFirst)
 *         .build();
 * }</pre>
 *
 * <p>Each attempt is one {@code execution.execute(attemptRequest, body)}: the method, URI and
 * header fields the engine computed, the caller's attributes, and the caller's body (Spring hands
 * interceptors the body as a {@code byte[]}, so it can always be sent again). On Spring Framework 7
 * a second {@code execute} runs every later interceptor again; add this interceptor first (outermost)
 * so that the others (observation, authentication headers) see each attempt.
 *
 * <p>What an interceptor cannot do: bound a pending attempt. Spring gives it no per-request timeout
 * and no way to abort an exchange before its head arrives, so the call's deadline is enforced
 * between attempts and over the response body (the body is closed when it passes), and during a
 * pending attempt only by the request factory's own read timeout: set one no longer than the
 * deadline.
 *
 * <p>Immutable: each {@code with...}-style method returns a copy. Thread-safe.
 */
public final class StatusPolicySpring {
    /**
     * The request attribute that carries a call's {@link CallOptions}
     * ({@code restClient.get().uri(..).attribute(StatusPolicySpring.CALL_OPTIONS, options)}, or an
     * {@code @RequestAttribute} parameter of that name on an {@code @HttpExchange} method).
     */
    public static final String CALL_OPTIONS = "io.statuspolicy.engine.CallOptions";

    /**
     * The request attribute the WebClient filter puts on each attempt it sends (its number, from
     * 1): how {@link StatusPolicyRetryPredicate} knows a {@code WebClientResponseException} came
     * from a call the policy decided.
     */
    public static final String ATTEMPT = "io.statuspolicy.spring.Attempt";

    /** Bodies up to this size are read before they are handed on, so a body that breaks can be retried. */
    static final long DEFAULT_BUFFER = 8L << 20;

    private final PolicyEngine engine;
    private final long bufferLimit;
    private final long requestLimit;

    private StatusPolicySpring(PolicyEngine engine, long bufferLimit, long requestLimit) {
        this.engine = engine;
        this.bufferLimit = bufferLimit;
        this.requestLimit = requestLimit;
    }

    /** Settings over {@code engine}: response bodies buffered up to 8 MiB, WebClient request bodies captured up to 8 MiB. */
    public static StatusPolicySpring with(PolicyEngine engine) {
        return new StatusPolicySpring(Objects.requireNonNull(engine, "engine"), DEFAULT_BUFFER, DEFAULT_BUFFER);
    }

    /**
     * Reads response bodies of at most {@code bytes} before handing them on (default 8 MiB; 0
     * streams every body): a body that breaks while it is read is then a failed attempt that an
     * idempotent request retries, not an exception in a message converter. A larger body is handed
     * on as a stream, under the call's deadline.
     */
    public StatusPolicySpring bufferResponseBodies(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bufferResponseBodies must not be negative, was " + bytes);
        }
        return new StatusPolicySpring(engine, bytes, requestLimit);
    }

    /**
     * WebClient only: request bodies of at most {@code bytes} are written into memory once, before
     * the first attempt (default 8 MiB), so that every attempt can send them again. A larger body
     * (or every body, with 0) is sent once, as it streams from the caller's publisher, and never
     * again: the policy then retries that call only where no body is resent (a 303 to GET). RestClient
     * and RestTemplate hand interceptors every body as bytes, so this does not apply to them.
     */
    public StatusPolicySpring bufferRequestBodies(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bufferRequestBodies must not be negative, was " + bytes);
        }
        return new StatusPolicySpring(engine, bufferLimit, bytes);
    }

    /**
     * The non-blocking WebClient filter: add it first, so that it is outermost and the filters after
     * it see each attempt. Request bodies are encoded, for capture, with WebFlux's default codecs;
     * {@link #installFilter(WebClient.Builder)} uses the builder's own, and {@link #filter(ExchangeStrategies)}
     * the ones given. Needs spring-webflux on the class path.
     */
    public ExchangeFilterFunction filter() {
        return WebClientSupport.filter(engine, bufferLimit, requestLimit, WebClientSupport.writers(null));
    }

    /** The WebClient filter, encoding captured request bodies with {@code strategies}' message writers (the WebClient's own). */
    public ExchangeFilterFunction filter(ExchangeStrategies strategies) {
        return WebClientSupport.filter(engine, bufferLimit, requestLimit,
                WebClientSupport.writers(Objects.requireNonNull(strategies, "strategies")));
    }

    /**
     * {@code builder} with the filter added first (unless one of this library's filters is already
     * there), encoding captured request bodies with the builder's own codecs. Use it over a connector
     * that follows no redirect and retries nothing itself: {@link #connector}, or Boot's with the
     * starter. (Not an overload of {@code install}: code that builds only RestClients then compiles
     * without WebFlux.)
     */
    public WebClient.Builder installFilter(WebClient.Builder builder) {
        return WebClientSupport.install(builder, engine, bufferLimit, requestLimit);
    }

    /**
     * A {@code ReactorClientHttpConnector} over {@code client} with Reactor Netty's own retry-once
     * switched off ({@code disableRetry(true)}: by default it resends a request, any method, when its
     * connection closes before the response) and redirect following off ({@code followRedirect(false)},
     * Reactor Netty's default, set again in case {@code client} turned it on). Needs reactor-netty-http.
     */
    public static ReactorClientHttpConnector connector(reactor.netty.http.client.HttpClient client) {
        return WebClientSupport.connector(Objects.requireNonNull(client, "client"));
    }

    /**
     * {@code connector}, when nothing it does on its own would decide what the policy decides;
     * refused otherwise, naming the setting. Detected: a {@code ReactorClientHttpConnector} whose
     * {@code HttpClient} retries once ({@code disableRetry(true)} not set) or follows redirects, and
     * a {@code JdkClientHttpConnector} whose {@code HttpClient} follows redirects.
     *
     * @throws IllegalArgumentException naming the setting that makes the connector act on its own
     */
    public static <C extends ClientHttpConnector> C checked(C connector) {
        return WebClientSupport.checked(Objects.requireNonNull(connector, "connector"));
    }

    /** The interceptor: add it first, so that it is outermost. */
    public ClientHttpRequestInterceptor interceptor() {
        return new PolicyInterceptor(engine, bufferLimit);
    }

    /**
     * Puts the interceptor first in a builder's list ({@code builder.requestInterceptors(policy::addFirst)}),
     * in place of any of this library's interceptors already there: one policy runs per call, the
     * one installed last (a client's own policy over the application's, as the Spring Boot starter
     * installs them).
     */
    public void addFirst(java.util.List<ClientHttpRequestInterceptor> interceptors) {
        interceptors.removeIf(PolicyInterceptor.class::isInstance);
        interceptors.add(0, interceptor());
    }

    /** {@code builder} with the interceptor added first. */
    public RestClient.Builder install(RestClient.Builder builder) {
        return builder.requestInterceptors(this::addFirst);
    }

    /**
     * A {@link JdkClientHttpRequestFactory} over a client built from {@code builder} with redirect
     * following switched off ({@code Redirect.NEVER}): the policy decides every redirect. The JDK
     * client's transparent retries are JVM-wide switches ({@code jdk.httpclient.disableRetryConnect},
     * {@code jdk.httpclient.redirects.retrylimit}); see the README.
     */
    public static JdkClientHttpRequestFactory requestFactory(HttpClient.Builder builder) {
        return new JdkClientHttpRequestFactory(builder.followRedirects(HttpClient.Redirect.NEVER).build());
    }

    /**
     * {@code factory}, when nothing it does on its own would decide what the policy decides;
     * refused otherwise, with the setting to change. Detected: a {@link JdkClientHttpRequestFactory}
     * whose {@code HttpClient} follows redirects, and a {@link SimpleClientHttpRequestFactory}
     * (HttpURLConnection follows GET redirects, with no switch on the factory). Not detectable: an
     * Apache HttpClient 5 under {@code HttpComponentsClientHttpRequestFactory} that retries or
     * follows redirects (build it with {@code disableAutomaticRetries()} and
     * {@code disableRedirectHandling()}).
     *
     * @throws IllegalArgumentException naming the setting that makes the factory act on its own
     */
    public static <F extends ClientHttpRequestFactory> F checked(F factory) {
        if (factory instanceof JdkClientHttpRequestFactory jdk) {
            HttpClient client = jdkClient(jdk);
            if (client != null && client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("the HttpClient under this JdkClientHttpRequestFactory follows "
                        + "redirects (followRedirects " + client.followRedirects() + "): build it with "
                        + "HttpClient.Builder.followRedirects(HttpClient.Redirect.NEVER) (StatusPolicySpring.requestFactory "
                        + "does), or with Spring Boot set spring.http.clients.redirects=dont-follow; the policy "
                        + "decides every redirect");
            }
        } else if (factory instanceof SimpleClientHttpRequestFactory) {
            throw new IllegalArgumentException("SimpleClientHttpRequestFactory lets HttpURLConnection follow GET "
                    + "redirects on its own (it calls setInstanceFollowRedirects(true) for every GET): use "
                    + "StatusPolicySpring.requestFactory(HttpClient.newBuilder()) or another factory with "
                    + "redirects off (spring.http.clients.imperative.factory=jdk and "
                    + "spring.http.clients.redirects=dont-follow with Spring Boot)");
        }
        return factory;
    }

    /** The factory's client, read from its private field: null when this Spring version has none. */
    private static HttpClient jdkClient(JdkClientHttpRequestFactory factory) {
        try {
            Field field = JdkClientHttpRequestFactory.class.getDeclaredField("httpClient");
            field.setAccessible(true);
            return field.get(factory) instanceof HttpClient client ? client : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // cannot tell: let it pass, as documented
        }
    }

    @Override
    public String toString() {
        return "StatusPolicySpring[" + engine + "]";
    }
}
