package io.statuspolicy.jdk;

import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Conditional;
import io.statuspolicy.decision.CredentialTarget;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.decision.Methods;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One call: the executor loop that carries out the decisions for one request, from the first
 * attempt to the response or the failure. Sync and async calls take the same steps and the same
 * decisions; they differ only in how an attempt is sent and how a wait happens: a synchronous
 * call sends with the delegate's {@code send} and sleeps on the caller's thread (no thread hop),
 * an asynchronous one chains futures and holds no thread while it waits.
 *
 * <p>The decision for a response is taken as soon as its status and headers arrive (in the body
 * handler), so a response that will not be returned is discarded without running the caller's
 * body handler, and the one that is returned streams straight to it.
 */
final class Call<T> {
    /** Content fields removed when a redirect turns the request into a body-less GET (RFC 9110 §15.4). */
    private static final Set<String> CONTENT_FIELDS = Set.of("content-type", "content-encoding", "content-language",
            "content-location", "content-digest", "repr-digest", "digest", "transfer-encoding");
    /** Fields never sent to an origin other than the first one (RFC 9110 §15.4, the CVE history). */
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("authorization", "proxy-authorization", "cookie");
    private static final Set<String> VALIDATOR_FIELDS = Set.of("if-none-match", "if-modified-since");
    private static final int KEPT_BODY_LIMIT = 64 * 1024;

    private final PolicyHttpClient client;
    private final HttpRequest original;
    private final BodyHandler<T> handler;
    private final CallOptions options;
    private final HttpResponse.PushPromiseHandler<T> pushPromises;
    private final PolicyListener listener;
    private final CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
    private final AtomicReference<Future<?>> inFlight = new AtomicReference<>();
    private final boolean sync;
    /** Failures of earlier attempts, made on the first failure. */
    private List<Throwable> earlier;
    /** The caller's header fields, read once. */
    private final java.util.Map<String, List<String>> callerHeaders;

    private RequestBody body;
    private URI uri;
    private String method;
    private boolean sendBody;
    private boolean forceLength;
    private boolean credentialsDropped;
    private String authorization;
    private String proxyAuthorization;
    private boolean callerAuthorization;
    private String cacheKey;
    private CachedResponse cached;
    private Conditional conditional = Conditional.NONE;
    private RequestFacts facts;
    private AttemptState state;
    private int requests;
    private long waitedMillis;
    private long startedMillis;

    /** Set by the body handler when the response's head arrives; read after the response completes. */
    private volatile Decision pending;
    private volatile CompletableFuture<byte[]> keptBody;
    private volatile HttpHeaders pendingHeaders;

    /** Synchronous calls: the next request to send, or the wait and step to take first. */
    private HttpRequest nextRequest;
    private long syncWaitMillis;
    private Runnable syncNext;

    Call(PolicyHttpClient client, HttpRequest original, BodyHandler<T> handler, CallOptions options,
            HttpResponse.PushPromiseHandler<T> pushPromises, boolean sync) {
        this.sync = sync;
        this.callerHeaders = original.headers().map();
        this.client = client;
        this.original = original;
        this.handler = handler;
        this.options = options;
        this.pushPromises = pushPromises;
        this.listener = client.listener();
    }

    /**
     * Starts the call. A synchronous call prepares (reads a streamed body, asks for credentials) on
     * the caller's thread; an asynchronous one on {@code executor}.
     */
    CompletableFuture<HttpResponse<T>> start(Executor executor) {
        if (!sync) {
            result.whenComplete((response, error) -> {
                if (result.isCancelled()) {
                    Future<?> current = inFlight.get();
                    if (current != null) {
                        current.cancel(true);
                    }
                    finished(null);
                }
            });
        }
        if (sync) {
            // Prepared on the caller's thread, before the first attempt.
            try {
                begin(RequestBody.of(original, client.bodyBufferLimit()).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result.completeExceptionally(e);
            } catch (Throwable t) {
                result.completeExceptionally(unwrap(t));
            }
            return result;
        }
        CompletableFuture<RequestBody> prepared =
                CompletableFuture.supplyAsync(() -> RequestBody.of(original, client.bodyBufferLimit()), executor)
                        .thenCompose(f -> f);
        prepared.whenComplete((captured, error) -> {
            if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
            }
            try {
                begin(captured);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * Runs a synchronous call on the calling thread: sends each attempt with the delegate's
     * {@code send}, sleeps between attempts, and returns or throws what the call ends with.
     */
    HttpResponse<T> run() throws IOException, InterruptedException {
        start(null);
        try {
            while (!result.isDone()) {
                if (syncWaitMillis > 0) {
                    long wait = syncWaitMillis;
                    syncWaitMillis = 0;
                    client.sleeper().sleep(Duration.ofMillis(wait));
                }
                Runnable next = syncNext;
                if (next != null) {
                    syncNext = null;
                    next.run();
                    continue;
                }
                HttpRequest request = nextRequest;
                if (request == null) {
                    break; // the rest completes on its own (a stored body being delivered)
                }
                nextRequest = null;
                HttpResponse<T> response = null;
                Throwable error = null;
                try {
                    response = client.delegate().send(request, this::onHead);
                } catch (IOException | RuntimeException e) {
                    error = e;
                }
                onOutcome(response, error);
            }
        } catch (InterruptedException e) {
            result.cancel(true);
            finished(null);
            Thread.currentThread().interrupt();
            throw e;
        }
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error fatal) {
                throw fatal;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private void begin(RequestBody captured) throws IOException {
        body = captured;
        method = original.method();
        sendBody = body.present();
        uri = original.uri();
        // Permanent redirects learned earlier: go straight to the new URI (the guideline's 301 row).
        for (int hops = 0; hops < client.policy().limits().maxRedirects(); hops++) {
            URI moved = client.redirectStore().lookup(uri);
            if (moved == null || moved.equals(uri)) {
                break;
            }
            if (!Origin.sameOrigin(uri, moved)) {
                credentialsDropped = true;
            }
            uri = keepFragment(moved, original.uri());
        }
        String callerValue = first("Authorization");
        callerAuthorization = callerValue != null;
        if (!credentialsDropped) {
            authorization = callerAuthorization ? callerValue
                    : client.credentials() == null ? null : client.credentials().current(uri);
            proxyAuthorization = client.proxyCredentials() == null ? null : client.proxyCredentials().current(uri);
        }
        prepareHop();
        state = client.decider().start(facts);
        startedMillis = state.startMillis();
        client.decider().budget().recordRequest(uri.getHost(), startedMillis);
        attempt();
    }

    private static URI keepFragment(URI target, URI from) {
        return target.getRawFragment() == null && from.getRawFragment() != null
                ? URI.create(target + "#" + from.getRawFragment()) : target;
    }

    /** Builds the facts for the current hop, including the cache lookup. */
    private void prepareHop() {
        cached = null;
        cacheKey = null;
        conditional = Conditional.NONE;
        boolean callerValidators = first("If-None-Match") != null || first("If-Modified-Since") != null;
        if (callerValidators && firstHop()) {
            conditional = Conditional.BY_CALLER;
        } else if (client.responseStore() != null && method.equals("GET")) {
            cacheKey = cacheKey(uri);
            cached = Revalidation.revalidatable(client.responseStore(), cacheKey);
            if (cached != null) {
                conditional = Conditional.BY_CACHE;
            }
        }
        facts = new RequestFacts(method, uri, sendBody, sendBody && body.replayable(),
                sendBody && (body.lengthKnown() || forceLength),
                first("Idempotency-Key") != null, options.retrySafe(),
                options.awaitResource(), options.deadline(), conditional, cached != null,
                client.credentials() != null && !credentialsDropped,
                client.proxyCredentials() != null && !credentialsDropped);
    }

    /** The first value of one of the caller's header fields, or null. */
    private String first(String name) {
        List<String> values = callerHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Whether the call is still at the URI it started at (no redirect followed yet). */
    private boolean firstHop() {
        return state == null || state.redirects() == 0;
    }

    private void attempt() {
        if (result.isDone()) {
            return;
        }
        HttpRequest request;
        try {
            request = buildRequest();
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        requests++;
        if (listener != PolicyListener.NONE) {
            listener.attemptStarted(new PolicyEvent.AttemptStarted(method, uri, requests, client.clock().millis()));
        }
        pending = null;
        keptBody = null;
        if (sync) {
            nextRequest = request; // the driver sends it on the caller's thread
            return;
        }
        CompletableFuture<HttpResponse<T>> sent = client.delegate().sendAsync(request, this::onHead, pushPromises);
        inFlight.set(sent);
        sent.whenComplete(this::onOutcome);
    }

    private HttpRequest buildRequest() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(withoutFragment(uri))
                .expectContinue(original.expectContinue());
        original.version().ifPresent(builder::version);
        long remaining = state == null ? Long.MAX_VALUE : state.remainingMillis(client.clock().millis());
        Duration timeout = original.timeout().orElse(null);
        if (remaining < Long.MAX_VALUE / 2) {
            Duration left = Duration.ofMillis(Math.max(1, remaining));
            timeout = timeout == null || left.compareTo(timeout) < 0 ? left : timeout;
        }
        if (timeout != null) {
            builder.timeout(timeout);
        }
        callerHeaders.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("authorization") || lower.equals("proxy-authorization")) {
                return; // set below, from the call's current credentials
            }
            if (credentialsDropped && (CREDENTIAL_FIELDS.contains(lower) || Redaction.isSensitiveHeader(name))) {
                return;
            }
            if (!sendBody && CONTENT_FIELDS.contains(lower)) {
                return;
            }
            if (conditional == Conditional.BY_CACHE && VALIDATOR_FIELDS.contains(lower)) {
                return;
            }
            if (conditional != Conditional.BY_CALLER && !firstHop() && VALIDATOR_FIELDS.contains(lower)) {
                return; // the caller's validators belonged to the first URI (RFC 9110 §15.4)
            }
            for (String value : values) {
                builder.header(name, value);
            }
        });
        if (!credentialsDropped) {
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            if (proxyAuthorization != null) {
                builder.header("Proxy-Authorization", proxyAuthorization);
            }
        }
        if (conditional == Conditional.BY_CACHE && cached != null) {
            Revalidation.addValidators(builder, cached);
        }
        builder.method(method, sendBody ? body.publisher(forceLength) : HttpRequest.BodyPublishers.noBody());
        return builder.build();
    }

    /** The body handler: decides on the response's head, then streams or discards its body. */
    private BodySubscriber<T> onHead(ResponseInfo info) {
        RequestFacts known = facts;
        if (info.statusCode() == 304 && cached != null && !Revalidation.sameRepresentation(cached, info.headers())) {
            // RFC 9111 §4.3.4: a 304 whose ETag names another representation cannot freshen ours.
            known = facts.withConditional(Conditional.BY_CACHE, false);
            Revalidation.forget(client.responseStore(), cacheKey);
        }
        Decision decision = client.decider().decide(known, new Head(info), state);
        pending = decision;
        pendingHeaders = info.headers();
        if (decision instanceof Decision.Complete || decision instanceof Decision.Fail) {
            return returned(info, decision);
        }
        if (decision instanceof Decision.RefreshCredentials) {
            // Kept, so the refusal can still be returned whole if no fresh credentials come.
            Bodies.Kept kept = new Bodies.Kept(KEPT_BODY_LIMIT);
            keptBody = kept.getBody().toCompletableFuture();
            return BodySubscribers.mapping(kept, ignored -> null);
        }
        return BodySubscribers.replacing(null);
    }

    /** The caller's body subscriber for a response that is returned, with the deadline and the cache around it. */
    private BodySubscriber<T> returned(ResponseInfo info, Decision decision) {
        BodySubscriber<T> subscriber = handler.apply(info);
        if (decision instanceof Decision.Complete && info.statusCode() == 200 && cacheKey != null
                && Revalidation.storable(info.headers())) {
            subscriber = Revalidation.storing(subscriber, client.responseStore(), cacheKey, uri, info.headers(),
                    client.clock());
        } else if (decision instanceof Decision.Complete && client.responseStore() != null
                && !Methods.isSafe(method) && info.statusCode() < 400) {
            // RFC 9111 §4.4: an unsafe method invalidates what is stored for its URI.
            Revalidation.forget(client.responseStore(), cacheKey(uri));
        }
        long left = state.remainingMillis(client.clock().millis());
        return Bodies.withDeadline(subscriber, left, () -> new HttpTimeoutException(
                "the call's deadline passed while reading the response body of " + Redaction.uri(uri)));
    }

    private void onOutcome(HttpResponse<T> response, Throwable error) {
        if (result.isDone()) {
            return;
        }
        try {
            Decision decision;
            if (error != null) {
                Throwable cause = unwrap(error);
                if (cause instanceof CancellationException) {
                    result.cancel(true);
                    return;
                }
                failed(cause);
                decision = pending != null && !(pending instanceof Decision.Complete || pending instanceof Decision.Fail)
                        ? null : pending;
                if (decision != null) {
                    // The head was fine but the returned body failed (a truncated body, the deadline).
                    finished(decision);
                    result.completeExceptionally(cause);
                    return;
                }
                decision = client.decider().decide(facts, TransportFailures.classify(cause), state);
            } else {
                decision = pending;
                if (decision == null) {
                    // A delegate that completed without calling the body handler (a test double):
                    // decide on the response itself.
                    decision = client.decider().decide(facts, new Head(new StoredInfo(response.statusCode(),
                            response.headers(), response.version())), state);
                }
            }
            act(decision, response);
        } catch (Throwable t) {
            result.completeExceptionally(t);
        }
    }

    private void act(Decision decision, HttpResponse<T> response) throws IOException {
        long now = client.clock().millis();
        if (listener != PolicyListener.NONE) {
            listener.decisionMade(new PolicyEvent.DecisionMade(method, uri, decision, now));
        }
        if (decision instanceof Decision.Complete) {
            complete(response, decision);
        } else if (decision instanceof Decision.Fail fail) {
            giveUp(fail, response);
        } else if (decision instanceof Decision.UseCachedCopy) {
            answerFromCache(response);
        } else if (decision instanceof Decision.Retry retry) {
            client.decider().budget().recordRetry(uri.getHost(), now);
            state = state.after(retry);
            waitThen(retry, retry.delayMillis(), this::attempt);
        } else if (decision instanceof Decision.FollowRedirect follow) {
            follow(follow);
        } else if (decision instanceof Decision.RefreshCredentials refresh) {
            refresh(refresh, response);
        } else if (decision instanceof Decision.ResendWithContentLength resend) {
            forceLength = true;
            state = state.after(resend);
            prepareHop();
            attempt();
        }
    }

    private void complete(HttpResponse<T> response, Decision decision) {
        finished(decision); // listeners hear the end before the caller sees the result
        result.complete(response);
    }

    private void giveUp(Decision.Fail fail, HttpResponse<T> response) {
        if (listener != PolicyListener.NONE) {
            listener.gaveUp(new PolicyEvent.GaveUp(method, uri, fail, requests, client.clock().millis()));
        }
        FailureCategory category = fail.category();
        boolean statusIsTheAnswer = response != null && category != FailureCategory.EXHAUSTED
                && category != FailureCategory.TRANSPORT;
        finished(fail);
        if (statusIsTheAnswer) {
            result.complete(response); // statuses are data: the caller reads the refusal
        } else {
            Throwable cause = earlier == null ? null : earlier.get(earlier.size() - 1);
            PolicyException failure = new PolicyException(fail, requests, state.retries(), waitedMillis, response, cause);
            for (int i = 0; earlier != null && i < earlier.size() - 1; i++) {
                failure.addSuppressed(earlier.get(i));
            }
            result.completeExceptionally(failure);
        }
    }

    private void answerFromCache(HttpResponse<T> notModified) {
        CachedResponse fresh = cached.freshenedWith(notModified.headers().map(), client.clock().millis());
        Revalidation.put(client.responseStore(), cacheKey, fresh);
        HttpHeaders headers = HttpHeaders.of(fresh.headers(), (name, value) -> true);
        ResponseInfo info = new StoredInfo(fresh.status(), headers, notModified.version());
        Bodies.feed(handler.apply(info), fresh.body()).whenComplete((value, error) -> {
            finished(pending);
            if (error != null) {
                result.completeExceptionally(unwrap(error));
            } else {
                result.complete(new StoredResponse<>(fresh, headers, value, notModified.request(), notModified.version()));
            }
        });
    }

    private void follow(Decision.FollowRedirect follow) {
        if (follow.permanent()) {
            URI from = withoutFragment(uri);
            URI to = withoutFragment(follow.target());
            Revalidation.quietly(() -> {
                client.redirectStore().remember(from, to);
                return null;
            });
        }
        state = state.after(follow);
        uri = follow.target();
        if (!follow.keepBody()) {
            sendBody = false;
        }
        method = follow.method();
        credentialsDropped = credentialsDropped || follow.dropCredentials();
        prepareHop();
        waitThen(follow, follow.delayMillis(), this::attempt);
    }

    private void refresh(Decision.RefreshCredentials refresh, HttpResponse<T> refusal) {
        boolean proxy = refresh.target() == CredentialTarget.PROXY;
        CredentialSource source = proxy ? client.proxyCredentials() : client.credentials();
        String refused = proxy ? proxyAuthorization : authorization;
        CompletableFuture<String> renewed;
        if (sync) {
            renewed = new CompletableFuture<>(); // the caller's thread refreshes: no thread hop
            try {
                renewed.complete(renew(source, uri, refused));
            } catch (RuntimeException e) {
                renewed.completeExceptionally(e);
            }
        } else {
            renewed = CompletableFuture.supplyAsync(() -> renew(source, uri, refused), client.asyncExecutor());
            inFlight.set(renewed);
        }
        renewed.whenComplete((fresh, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error != null) {
                failed(unwrap(error));
                failWithRefusal(refresh, refusal, "the credential source failed: " + unwrap(error).getMessage());
                return;
            }
            if (fresh == null || fresh.equals(refused)) {
                failWithRefusal(refresh, refusal, null);
                return;
            }
            if (proxy) {
                proxyAuthorization = fresh;
            } else {
                authorization = fresh;
            }
            state = state.after(refresh);
            attempt();
        });
    }

    private static String renew(CredentialSource source, URI uri, String refused) {
        try {
            return source.refresh(uri, refused);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** No fresh credentials: the refusal (401, 403, 407) is the answer, body and all. */
    private void failWithRefusal(Decision.RefreshCredentials refresh, HttpResponse<T> refusal, String detail) {
        Decision.Fail fail = client.decider().credentialsNotRenewed(refresh, detail);
        if (listener != PolicyListener.NONE) {
            listener.decisionMade(new PolicyEvent.DecisionMade(method, uri, fail, client.clock().millis()));
        }
        CompletableFuture<byte[]> kept = keptBody;
        byte[] bytes = kept == null ? null : kept.getNow(null);
        if (bytes == null) {
            giveUpWithoutBody(fail);
            return;
        }
        ResponseInfo info = new StoredInfo(refusal.statusCode(), refusal.headers(), refusal.version());
        Bodies.feed(handler.apply(info), bytes).whenComplete((value, error) -> {
            if (error != null) {
                finished(fail);
                result.completeExceptionally(unwrap(error));
            } else {
                giveUp(fail, new StoredResponse<>(refusal, value));
            }
        });
    }

    private void giveUpWithoutBody(Decision.Fail fail) {
        PolicyException failure = new PolicyException(fail, requests, state.retries(), waitedMillis, null,
                earlier == null ? null : earlier.get(earlier.size() - 1));
        if (listener != PolicyListener.NONE) {
            listener.gaveUp(new PolicyEvent.GaveUp(method, uri, fail, requests, client.clock().millis()));
        }
        finished(fail);
        result.completeExceptionally(failure);
    }

    private void waitThen(Decision decision, long delayMillis, Runnable next) {
        if (delayMillis <= 0) {
            next.run();
            return;
        }
        if (listener != PolicyListener.NONE) {
            listener.waiting(new PolicyEvent.Waiting(decision, delayMillis, client.clock().millis()));
        }
        waitedMillis += delayMillis;
        if (sync) {
            syncWaitMillis = delayMillis; // the driver sleeps on the caller's thread
            syncNext = next;
            return;
        }
        CompletableFuture<Void> delay = client.sleeper().delay(Duration.ofMillis(delayMillis));
        inFlight.set(delay);
        delay.whenComplete((ignored, error) -> {
            if (error == null) {
                next.run();
            } else if (!result.isDone()) {
                result.completeExceptionally(unwrap(error));
            }
        });
    }

    private void failed(Throwable cause) {
        if (earlier == null) {
            earlier = new ArrayList<>(4);
        }
        earlier.add(cause);
    }

    private void finished(Decision decision) {
        if (listener != PolicyListener.NONE) {
            long now = client.clock().millis();
            listener.callFinished(new PolicyEvent.CallFinished(method, uri, decision, requests,
                    state == null ? 0 : state.retries(), state == null ? 0 : state.redirects(), now - startedMillis,
                    now));
        }
    }

    /** The response store's key for a GET of {@code target} with this call's credentials. */
    private String cacheKey(URI target) {
        return credentialsDropped ? Revalidation.key(target, null, null)
                : Revalidation.key(target, authorization, callerHeaders.get("Cookie"));
    }

    static URI withoutFragment(URI uri) {
        return InMemoryRedirectStore.withoutFragment(uri);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The response head, as the decision function reads it. */
    private static final class Head implements ResponseFacts {
        private final ResponseInfo info;

        Head(ResponseInfo info) {
            this.info = info;
        }

        @Override
        public int status() {
            return info.statusCode();
        }

        @Override
        public List<String> headerValues(String name) {
            return info.headers().allValues(name);
        }
    }

    private record StoredInfo(int statusCode, HttpHeaders headers, HttpClient.Version version)
            implements ResponseInfo {
    }
}
