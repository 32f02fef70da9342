package io.statuspolicy.benchmarks.chaos;

import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.okhttp.StatusPolicyOkHttp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * A client under the soak: one of the adapters, its body read whole, each call's result as status
 * and bytes or the exception it ended with. The soak's checks are the same for every adapter.
 */
interface SoakClient extends AutoCloseable {

    /** What a call ended with. */
    record Result(int status, byte[] body, Throwable error) {
        static Result of(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return new Result(0, null, cause);
        }
    }

    /** The request of one call, client-neutral. */
    record Call(URI uri, String method, byte[] body, boolean oneShot, String callId, String idempotencyKey) {
    }

    /** On the calling thread; an interrupt ends it with an {@link InterruptedException}. */
    Result send(Call call);

    /** Without blocking; cancelling the future cancels the call. */
    CompletableFuture<Result> sendAsync(Call call);

    @Override
    void close();

    /** The client a soak runs, by name: {@code jdk} or {@code okhttp}. */
    static SoakClient named(String name) {
        switch (name) {
            case "jdk":
                return new Jdk();
            case "okhttp":
                return new OkHttp();
            default:
                throw new IllegalArgumentException("no soak client named '" + name + "': use jdk or okhttp");
        }
    }

    /** {@link PolicyHttpClient}; streamed bodies above 1 KiB are one-shot. */
    final class Jdk implements SoakClient {
        private final PolicyHttpClient client = PolicyHttpClient.builder()
                .delegate(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1))
                .policy(ChaosSoak.POLICY)
                .bodyBufferLimit(1024)
                .build();

        Jdk() {
            JdkClientProbe.watch(client.delegate().toString(), client.delegate());
        }

        private static HttpRequest request(Call call) {
            HttpRequest.BodyPublisher publisher = call.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : call.oneShot() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(call.body()))
                    : HttpRequest.BodyPublishers.ofByteArray(call.body());
            HttpRequest.Builder builder = HttpRequest.newBuilder(call.uri()).method(call.method(), publisher)
                    .header("X-Call", call.callId());
            if (call.idempotencyKey() != null) {
                builder.header("Idempotency-Key", call.idempotencyKey());
            }
            return builder.build();
        }

        @Override
        public Result send(Call call) {
            try {
                HttpResponse<byte[]> response = client.send(request(call), HttpResponse.BodyHandlers.ofByteArray());
                return new Result(response.statusCode(), response.body(), null);
            } catch (Throwable t) {
                return Result.of(t);
            }
        }

        @Override
        public CompletableFuture<Result> sendAsync(Call call) {
            CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request(call),
                    HttpResponse.BodyHandlers.ofByteArray());
            CompletableFuture<Result> result = sent.handle((response, error) -> error != null ? Result.of(error)
                    : new Result(response.statusCode(), response.body(), null));
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    sent.cancel(true);
                }
            });
            return result;
        }

        @Override
        public void close() {
            client.close(); // JDK 21+: closes the pool; on 17 a no-op, and the pool goes with the client
        }
    }

    /**
     * OkHttp 5 with the policy installed, bodies buffered up to 1 MiB (so a body cut off is a failed
     * attempt, as with the JDK's byte-array handler): sync through {@code execute()}, async through
     * the policy's call factory.
     */
    final class OkHttp implements SoakClient {
        private final OkHttpClient client = StatusPolicyOkHttp.with(PolicyEngine.builder().policy(ChaosSoak.POLICY).build())
                .bufferResponseBodies(1 << 20)
                .install(new OkHttpClient.Builder())
                .build();
        private final okhttp3.Call.Factory calls = StatusPolicyOkHttp.callFactory(client);

        private static Request request(Call call) {
            RequestBody body = null;
            if (call.body() != null) {
                byte[] bytes = call.body();
                body = !call.oneShot() ? RequestBody.create(bytes, (MediaType) null) : new RequestBody() {
                    @Override
                    public MediaType contentType() {
                        return null;
                    }

                    @Override
                    public long contentLength() {
                        return -1;
                    }

                    @Override
                    public boolean isOneShot() {
                        return true;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        sink.write(bytes);
                    }
                };
            }
            Request.Builder builder = new Request.Builder().url(call.uri().toString()).method(call.method(), body)
                    .header("X-Call", call.callId());
            if (call.idempotencyKey() != null) {
                builder.header("Idempotency-Key", call.idempotencyKey());
            }
            return builder.build();
        }

        @Override
        public Result send(Call call) {
            try (Response response = calls.newCall(request(call)).execute()) {
                return new Result(response.code(), response.body().bytes(), null);
            } catch (InterruptedIOException e) {
                // The interceptor's way of saying the thread was interrupted (OkHttp throws I/O only).
                return Result.of(e.getCause() instanceof InterruptedException ? e.getCause() : e);
            } catch (Throwable t) {
                return Result.of(t);
            }
        }

        @Override
        public CompletableFuture<Result> sendAsync(Call call) {
            okhttp3.Call sent = calls.newCall(request(call));
            CompletableFuture<Result> result = new CompletableFuture<>();
            sent.enqueue(new Callback() {
                @Override
                public void onResponse(okhttp3.Call done, Response response) {
                    try (response) {
                        result.complete(new Result(response.code(), response.body().bytes(), null));
                    } catch (IOException | RuntimeException e) {
                        result.complete(Result.of(e));
                    }
                }

                @Override
                public void onFailure(okhttp3.Call done, IOException e) {
                    result.complete(Result.of(done.isCanceled() && !(e instanceof io.statuspolicy.engine.PolicyException)
                            ? new java.util.concurrent.CancellationException("cancelled") : e));
                }
            });
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    sent.cancel();
                }
            });
            return result;
        }

        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }
}
