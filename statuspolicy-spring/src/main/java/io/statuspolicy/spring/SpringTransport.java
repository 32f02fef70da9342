package io.statuspolicy.spring;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One call's attempts through the rest of the interceptor chain. Spring's chain is blocking only:
 * {@link #sendAsync} runs the attempt on the calling thread (the interceptor never uses it).
 */
final class SpringTransport implements Transport<ClientHttpResponse> {
    /** One attempt: {@code execution.execute(attemptRequest, body)}. */
    interface Execution {
        ClientHttpResponse execute(Attempt attempt) throws IOException;
    }

    private final long bufferLimit;
    private final Execution execution;

    SpringTransport(long bufferLimit, Execution execution) {
        this.bufferLimit = bufferLimit;
        this.execution = execution;
    }

    @Override
    public Exchange<ClientHttpResponse> send(Attempt attempt) throws IOException {
        ClientHttpResponse response = execution.execute(attempt);
        int status;
        try {
            status = response.getStatusCode().value();
        } catch (IOException | RuntimeException e) {
            SpringExchange.release(response);
            throw e;
        }
        return new SpringExchange(response, status, bufferLimit, attempt.uri());
    }

    @Override
    public CompletableFuture<Exchange<ClientHttpResponse>> sendAsync(Attempt attempt) {
        try {
            return CompletableFuture.completedFuture(send(attempt));
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return SpringFailures.classify(error);
    }
}
