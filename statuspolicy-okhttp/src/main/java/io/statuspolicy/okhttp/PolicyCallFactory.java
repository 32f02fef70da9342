package io.statuspolicy.okhttp;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;

/**
 * The {@link Call.Factory} of a client the policy is installed on (what Retrofit's
 * {@code callFactory(...)} takes). {@code execute()} runs as the client's own, through the
 * policy's interceptor. {@code enqueue()} runs the engine without holding a dispatcher thread
 * while it waits out a backoff or a {@code Retry-After}: each attempt is enqueued as a call of its
 * own, and the callback is told once, with the final response or failure.
 */
final class PolicyCallFactory implements Call.Factory {
    private final OkHttpClient client;
    private final PolicyInterceptor policy;

    PolicyCallFactory(OkHttpClient client, PolicyInterceptor policy) {
        this.client = client;
        this.policy = policy;
    }

    @Override
    public Call newCall(Request request) {
        return new PolicyCall(request);
    }

    @Override
    public String toString() {
        return "PolicyCallFactory[" + policy + "]";
    }

    private final class PolicyCall implements Call {
        private final Request request;
        /** The client's own call: what {@code execute()} runs, and what holds timeout and tags. */
        private final Call direct;
        private final AtomicBoolean executed = new AtomicBoolean();
        private volatile CompletableFuture<Response> running;
        private volatile boolean canceled;

        PolicyCall(Request request) {
            this.request = request;
            this.direct = client.newCall(request);
        }

        @Override
        public Request request() {
            return request;
        }

        @Override
        public Response execute() throws IOException {
            started();
            return direct.execute();
        }

        @Override
        public void enqueue(Callback callback) {
            started();
            AttemptRequests requests = new AttemptRequests(withCallTimeout(request));
            CompletableFuture<Response> call;
            try {
                call = policy.engine().executeAsync(requests.spec(),
                        new CallTransport(client, requests, policy.bufferLimit()));
            } catch (RuntimeException e) {
                callback.onFailure(this, new IOException("the call could not start: " + e.getMessage(), e));
                return;
            }
            running = call;
            if (canceled) {
                call.cancel(true);
            }
            call.whenComplete((response, error) -> {
                if (error == null) {
                    try {
                        callback.onResponse(this, response);
                    } catch (IOException e) {
                        // OkHttp's own calls log and drop an exception thrown by onResponse; so do we.
                    }
                } else {
                    callback.onFailure(this, asIOException(error));
                }
            });
        }

        /** The call's timeout (the client's callTimeout, or one set on this call) is its deadline. */
        private Request withCallTimeout(Request original) {
            long nanos = direct.timeout().timeoutNanos();
            CallOptions options = original.tag(CallOptions.class);
            if (nanos <= 0 || (options != null && options.deadline() != null)) {
                return original;
            }
            CallOptions base = options == null ? CallOptions.DEFAULT : options;
            return original.newBuilder().tag(CallOptions.class, base.withDeadline(Duration.ofNanos(nanos))).build();
        }

        private void started() {
            if (!executed.compareAndSet(false, true)) {
                throw new IllegalStateException("Already Executed");
            }
        }

        private IOException asIOException(Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof IOException io) {
                return io;
            }
            if (cause instanceof CancellationException) {
                return new IOException("Canceled", cause);
            }
            return new IOException(cause);
        }

        @Override
        public void cancel() {
            canceled = true;
            direct.cancel();
            CompletableFuture<Response> call = running;
            if (call != null) {
                call.cancel(true);
            }
        }

        @Override
        public boolean isExecuted() {
            return executed.get();
        }

        @Override
        public boolean isCanceled() {
            return canceled || direct.isCanceled();
        }

        @Override
        public Timeout timeout() {
            return direct.timeout();
        }

        @Override
        public void addEventListener(EventListener eventListener) {
            direct.addEventListener(eventListener);
        }

        @Override
        public <T> T tag(KClass<T> type) {
            return direct.tag(type);
        }

        @Override
        public <T> T tag(Class<? extends T> type) {
            return direct.tag(type);
        }

        @Override
        public <T> T tag(KClass<T> type, Function0<? extends T> computeIfAbsent) {
            return direct.tag(type, computeIfAbsent);
        }

        @Override
        public <T> T tag(Class<T> type, Function0<? extends T> computeIfAbsent) {
            return direct.tag(type, computeIfAbsent);
        }

        @Override
        public Call clone() {
            return new PolicyCall(request);
        }

        @Override
        public String toString() {
            return "PolicyCall[" + request.method() + " " + io.statuspolicy.http.Redaction.uri(request.url().uri()) + "]";
        }
    }
}
