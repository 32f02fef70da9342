package io.statuspolicy.spring;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CallSpec;
import io.statuspolicy.engine.PolicyEngine;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.publisher.Mono;

/**
 * Runs each WebClient exchange through the engine's asynchronous driver: no thread is held while
 * the policy waits (waits are the engine sleeper's timers), each attempt is one
 * {@code next.exchange}, and cancelling the subscriber cancels the call: the exchange in flight,
 * or the wait. A policy failure is a {@code PolicyException} error signal; a status the policy
 * returns is a response, which reaches {@code retrieve()}'s status handlers as before.
 */
final class PolicyFilter implements ExchangeFilterFunction {
    private final PolicyEngine engine;
    private final long bufferLimit;
    private final long requestLimit;
    private final Supplier<List<HttpMessageWriter<?>>> writers;

    PolicyFilter(PolicyEngine engine, long bufferLimit, long requestLimit, Supplier<List<HttpMessageWriter<?>>> writers) {
        this.engine = engine;
        this.bufferLimit = bufferLimit;
        this.requestLimit = requestLimit;
        this.writers = writers;
    }

    @Override
    public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
        return Mono.deferContextual(context -> {
            CallOptions options = options(request);
            return CapturedBody.capture(request, writers, requestLimit).flatMap(body -> {
                CallSpec spec = spec(request, body, options);
                WebClientTransport transport = new WebClientTransport(request, body, next, context, bufferLimit);
                CompletableFuture<ClientResponse> call = engine.executeAsync(spec, transport);
                call.whenComplete((response, error) -> body.release());
                return Mono.fromFuture(call);
            });
        });
    }

    static CallOptions options(ClientRequest request) {
        Object options = request.attributes().get(StatusPolicySpring.CALL_OPTIONS);
        if (options != null && !(options instanceof CallOptions)) {
            throw new IllegalArgumentException("the request attribute " + StatusPolicySpring.CALL_OPTIONS
                    + " must be a CallOptions, was a " + options.getClass().getName());
        }
        return options == null ? CallOptions.DEFAULT : (CallOptions) options;
    }

    static CallSpec spec(ClientRequest request, CapturedBody body, CallOptions options) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        (body.present() ? body.headers() : request.headers()).forEach((name, values) -> headers.put(name, List.copyOf(values)));
        if (!request.cookies().isEmpty()) {
            String cookies = request.cookies().entrySet().stream()
                    .flatMap(e -> e.getValue().stream().map(value -> e.getKey() + "=" + value))
                    .collect(Collectors.joining("; "));
            headers.merge("Cookie", List.of(cookies), (own, more) -> List.of(own.get(0) + "; " + more.get(0)));
        }
        return new CallSpec(request.method().name(), request.url(), headers, body.present(), body.replayable(),
                body.lengthKnown(), options);
    }

    @Override
    public String toString() {
        return "StatusPolicyFilter[" + engine + "]";
    }
}
