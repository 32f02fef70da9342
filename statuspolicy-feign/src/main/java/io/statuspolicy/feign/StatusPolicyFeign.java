package io.statuspolicy.feign;

import feign.AsyncClient;
import feign.Capability;
import feign.Client;
import feign.Request;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import java.util.Objects;
import java.util.function.Function;

/**
 * OpenFeign follows the policy: a {@link Client} (and {@link AsyncClient}) decorator that runs
 * every call through the engine, installed with one capability.
 *
 * <pre>{@code
 * Api api = Feign.builder()
 *         .client(new OkHttpClient(okhttp))            // or Client.Default, feign-hc5, ...
 *         .addCapability(StatusPolicyFeign.with(engine).capability())   // add it last: outermost
 *         .target(Api.class, "https://api.example");
 * }</pre>
 *
 * <p>Each attempt is {@code delegate.execute(attemptRequest, attemptOptions)}: the request the
 * engine computed (method, URL, header fields, body), and the caller's timeouts cut to the time
 * left before the call's deadline, with redirect following off. The capability also replaces
 * Feign's {@code Retryer} with {@link feign.Retryer#NEVER_RETRY}: one layer owns retries, or a
 * call that the policy gave up on would be run again as a whole, up to five times.
 *
 * <p>Immutable: each {@code with...}-style method returns a copy. Thread-safe.
 */
public final class StatusPolicyFeign {
    /** Bodies up to this size are read before they are handed on, so a body that breaks can be retried. */
    static final long DEFAULT_BUFFER = 8L << 20;

    private final PolicyEngine engine;
    private final long bufferLimit;
    private final Function<Request, CallOptions> callOptions;

    private StatusPolicyFeign(PolicyEngine engine, long bufferLimit, Function<Request, CallOptions> callOptions) {
        this.engine = engine;
        this.bufferLimit = bufferLimit;
        this.callOptions = callOptions;
    }

    /** Settings over {@code engine}: bodies buffered up to 8 MiB, no per-call options. */
    public static StatusPolicyFeign with(PolicyEngine engine) {
        return new StatusPolicyFeign(Objects.requireNonNull(engine, "engine"), DEFAULT_BUFFER, r -> CallOptions.DEFAULT);
    }

    /**
     * Reads response bodies of at most {@code bytes} before handing them on (default 8 MiB; 0
     * streams every body): a body that breaks while it is read is then a failed attempt that an
     * idempotent request retries, not an exception in a decoder. Feign's decoders read whole
     * bodies anyway; a larger body is handed on as a stream, under the call's deadline.
     */
    public StatusPolicyFeign bufferResponseBodies(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bufferResponseBodies must not be negative, was " + bytes);
        }
        return new StatusPolicyFeign(engine, bytes, callOptions);
    }

    /**
     * Where each call's {@link CallOptions} come from (retry-safe, await a 404, a deadline of its
     * own), for example from the request's method metadata ({@code request.requestTemplate()
     * .methodMetadata()}). By default none: the policy decides everything.
     */
    public StatusPolicyFeign callOptions(Function<Request, CallOptions> resolver) {
        return new StatusPolicyFeign(engine, bufferLimit, Objects.requireNonNull(resolver, "resolver"));
    }

    /**
     * The capability that decorates the builder's client and async client and switches Feign's
     * retryer off. Add it after every other capability that wraps the client (Feign folds them in
     * order, the last one outermost), so that, for example, {@code MicrometerObservationCapability}
     * observes each attempt.
     */
    public Capability capability() {
        return new PolicyCapability(this);
    }

    /**
     * {@code delegate}, following the policy.
     *
     * @throws IllegalArgumentException when the delegate already follows a policy (a decorator or
     *                                  an OkHttp client with the policy interceptor), or is an
     *                                  OkHttp client that retries on its own
     */
    public Client client(Client delegate) {
        Delegates.check(delegate);
        return new PolicyFeignClient(this, delegate);
    }

    /** {@code delegate}, following the policy, without holding a thread while it waits. */
    public <C> AsyncClient<C> asyncClient(AsyncClient<C> delegate) {
        Delegates.check(delegate);
        return new PolicyAsyncFeignClient<>(this, delegate);
    }

    PolicyEngine engine() {
        return engine;
    }

    long bufferLimit() {
        return bufferLimit;
    }

    CallOptions optionsFor(Request request) {
        CallOptions options = callOptions.apply(request);
        return options == null ? CallOptions.DEFAULT : options;
    }

    @Override
    public String toString() {
        return "StatusPolicyFeign[" + engine + "]";
    }
}
