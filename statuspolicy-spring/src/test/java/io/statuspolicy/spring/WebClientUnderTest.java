package io.statuspolicy.spring;

import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.ConnectionProvider;

/**
 * The conformance suite's view of a real {@link WebClient} with the policy filter, over Reactor
 * Netty (its own pool, switched off as {@link StatusPolicySpring#connector} does) or the JDK
 * connector. Both modes are the reactive call: ASYNC subscribes and hands back a future
 * (cancelling it disposes the subscription); SYNC is the same call awaited on the calling thread
 * (WebClient has no blocking path of its own). The body is read whole, as {@code bodyToMono(byte[])} does.
 */
final class WebClientUnderTest implements ClientUnderTest {
    enum Connector { REACTOR_NETTY, JDK }

    private final WebClient client;
    private final ConnectionProvider pool;

    WebClientUnderTest(ClientSettings settings, Connector kind) {
        StatusPolicySpring policy = StatusPolicySpring.with(settings.engine().build());
        ClientHttpConnector connector;
        if (kind == Connector.JDK) {
            java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                    .followRedirects(java.net.http.HttpClient.Redirect.NEVER);
            if (settings.sslContext() != null) {
                builder.sslContext(settings.sslContext());
            }
            pool = null;
            connector = StatusPolicySpring.checked(new JdkClientHttpConnector(builder.build()));
        } else {
            pool = ConnectionProvider.builder("conformance").maxConnections(50).build();
            reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create(pool);
            if (settings.sslContext() != null) {
                // The scenario's own CA, as the JDK context trusts it.
                io.netty.handler.ssl.SslContext trust = new io.netty.handler.ssl.JdkSslContext(settings.sslContext(),
                        true, io.netty.handler.ssl.ClientAuth.NONE);
                http = http.secure(ssl -> ssl.sslContext(trust));
            }
            connector = StatusPolicySpring.checked(StatusPolicySpring.connector(http));
        }
        client = policy.installFilter(WebClient.builder().clientConnector(connector)).build();
    }

    ConnectionProvider pool() {
        return pool;
    }

    WebClient client() {
        return client;
    }

    @Override
    public Outcome send(TestRequest request, Mode mode) {
        CompletableFuture<Outcome> call = sendAsync(request);
        try {
            return call.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            call.cancel(true);
            return Outcome.failure(e, null, 0, Thread.currentThread().isInterrupted() || true);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return failure(e.getCause() == null ? e : e.getCause());
        }
    }

    Mono<Outcome> call(TestRequest request) {
        WebClient.RequestBodySpec spec = client.method(HttpMethod.valueOf(request.method()))
                .uri(request.uri())
                .attribute(StatusPolicySpring.CALL_OPTIONS, request.options())
                .headers(fields -> {
                    for (String[] header : request.headers()) {
                        fields.add(header[0], header[1]);
                    }
                });
        if (request.body() != null) {
            byte[] bytes = request.body();
            if (request.streamed()) {
                // A publisher of pieces: no Content-Length, sent chunked.
                List<byte[]> pieces = new ArrayList<>();
                for (int at = 0; at < bytes.length; at += 8192) {
                    pieces.add(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + 8192)));
                }
                spec.body(Flux.fromIterable(pieces), byte[].class);
            } else {
                spec.bodyValue(bytes);
            }
        }
        return spec.exchangeToMono(WebClientUnderTest::outcome);
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        return call(request).onErrorResume(e -> Mono.just(failure(e))).toFuture();
    }

    private static Mono<Outcome> outcome(ClientResponse response) {
        return DataBufferUtils.join(response.body(BodyExtractors.toDataBuffers()))
                .map(joined -> {
                    byte[] bytes = new byte[joined.readableByteCount()];
                    joined.read(bytes);
                    DataBufferUtils.release(joined);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .map(body -> {
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    response.headers().asHttpHeaders().forEach((name, values) ->
                            headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
                    return Outcome.response(response.statusCode().value(), headers, body);
                });
    }

    static Outcome failure(Throwable error) {
        PolicyException policy = RestClientUnderTest.find(error, PolicyException.class);
        if (policy != null) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        Throwable cause = error;
        if (error instanceof WebClientRequestException && error.getCause() != null) {
            cause = error.getCause();
        }
        return Outcome.failure(cause, null, 0, false);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.disposeLater().block(java.time.Duration.ofSeconds(5));
        }
    }

    static void release(DataBuffer buffer) {
        DataBufferUtils.release(buffer);
    }
}
