package io.statuspolicy.engine;

import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Conditional;
import io.statuspolicy.decision.CredentialTarget;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.DelayBasis;
import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.decision.HostCheck;
import io.statuspolicy.decision.HostHold;
import io.statuspolicy.decision.Methods;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.event.AttemptType;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One call as a state machine with no I/O: every method takes what just happened (the call
 * began, a head arrived, an attempt failed, a wait ended, a refresh came back, the body broke)
 * and returns the next {@link Step} for a driver to carry out. The stages run in the order
 * {@link Stage#ORDER} names. The two drivers ({@link SyncDriver}, {@link AsyncDriver}) only
 * perform steps; nothing here blocks, sleeps or sends.
 *
 * <p>Confined to one driver at a time: the driver calls it from one thread at a time, and the
 * only method that may race with it, {@link #cancelled}, is guarded.
 */
final class Execution<R> {
    /** Content fields removed when a redirect turns the request into a body-less GET (RFC 9110 §15.4). */
    private static final Set<String> CONTENT_FIELDS = Set.of("content-type", "content-encoding", "content-language",
            "content-location", "content-digest", "repr-digest", "digest", "transfer-encoding", "content-length");
    /** Fields never sent to an origin other than the first one (RFC 9110 §15.4, the CVE history). */
    private static final Set<String> CREDENTIAL_FIELDS = Set.of("authorization", "cookie");
    private static final Set<String> VALIDATOR_FIELDS = Set.of("if-none-match", "if-modified-since");
    /** How long a failing call reads the last response's body for its exception, at most. */
    static final long KEEP_MILLIS = 1000;

    /** What the driver does next. Send this attempt: an {@link Attempt} is its own step (no wrapper per attempt). */
    sealed interface Step permits Attempt, Wait, AwaitProbe, Refresh, Deliver, DeliverStored, Fail, Abort {
    }

    /** Wait this long, then call {@link #onWaited}. */
    record Wait(long millis) implements Step {
    }

    /**
     * Wait until {@code ended} completes (the probe after a host hold answered) or
     * {@code maxMillis} pass, whichever comes first, then call {@link #onWaited}. Never cancel
     * {@code ended} itself: other calls wait on it too.
     */
    record AwaitProbe(java.util.concurrent.CompletableFuture<Void> ended, long maxMillis) implements Step {
    }

    /** Renew the credentials the refusal refused (bounded by the time left), holding its body unread. */
    record Refresh(Decision.RefreshCredentials decision, Exchange<?> refusal, String refused, String scope,
            SingleFlightCredentials source, URI uri) implements Step {
    }

    /** Hand this response to the caller. */
    record Deliver(Exchange<?> exchange, Decision decision, BodyTap tap, long deadlineMillis) implements Step {
    }

    /** Hand the caller the stored copy instead of this 304. */
    record DeliverStored(Exchange<?> exchange, CachedResponse copy, Decision decision) implements Step {
    }

    /** End with a {@link PolicyException}, keeping a bounded part of the exchange's body when there is one. */
    record Fail(Decision.Fail decision, Exchange<?> exchange) implements Step {
    }

    /** End with this error, not decided by the policy (a credential source that failed before the first attempt). */
    record Abort(Throwable error) implements Step {
    }

    private final PolicyEngine engine;
    private final CallSpec spec;
    private final Transport<R> transport;
    private final PolicyListener listener;
    /** Whether {@code callFinished} was told: set once, by compare-and-set (no object of its own). */
    private volatile boolean finished;
    private static final java.lang.invoke.VarHandle FINISHED;

    static {
        try {
            FINISHED = java.lang.invoke.MethodHandles.lookup().findVarHandle(Execution.class, "finished",
                    boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private final List<Stage> trace;

    private URI uri;
    private String method;
    private boolean sendBody;
    private boolean forceLength;
    private boolean freshConnection;
    private boolean credentialsDropped;
    private String authorization;
    private String proxyAuthorization;
    private String cacheKey;
    private CachedResponse cached;
    private Conditional conditional = Conditional.NONE;
    private boolean skipCache;
    private RequestFacts facts;
    private AttemptState state;
    private int requests;
    /** Why the next request is sent: set by the step that asks for it, reported in its event. */
    private AttemptType nextType = AttemptType.ORIGINAL;
    private long waitedMillis;
    private long startedMillis;
    private List<Throwable> earlier;
    private URI budgetKeyUri;
    private String budgetKey;
    /** The hold keys of the current URI and principal, made when a hold store is not empty. */
    private URI holdKeyUri;
    private String originHoldKey;
    private String principalHoldKey;
    /** The hold key this call sends the one probe for, or null. */
    private String probeKey;
    /** The origin whose half-open circuit this call probes, or null. */
    private String circuitProbe;
    /** The origin of the first attempt: the circuit the call's outcome counts for. */
    private String circuitOrigin;
    private RequestFacts circuitFacts;

    Execution(PolicyEngine engine, CallSpec spec, Transport<R> transport) {
        this.engine = engine;
        this.spec = spec;
        this.transport = transport;
        this.listener = engine.listener();
        this.trace = engine.stageTrace();
        this.method = spec.method();
        this.uri = spec.uri();
        this.sendBody = spec.hasBody();
    }

    // ---- the stages before the first attempt -------------------------------------------------

    /** Starts the call: credentials, redirect memory, the conditional request, the first attempt. */
    Step begin() {
        try {
            enter(Stage.CREDENTIALS);
            String callerValue = spec.header("Authorization");
            authorization = callerValue != null ? callerValue
                    : engine.credentials() == null ? null : engine.credentials().current(uri);
            proxyAuthorization = engine.proxyCredentials() == null ? null : engine.proxyCredentials().current(uri);
        } catch (IOException | RuntimeException e) {
            return new Abort(e);
        }
        prepareHop();
        state = engine.decider().start(facts);
        startedMillis = state.startMillis();
        enter(Stage.REDIRECT_MEMORY);
        followRemembered();
        engine.decider().budget().recordRequest(uri, startedMillis); // the key is made on a retry only
        return next();
    }

    /**
     * Takes over a call whose first attempt was sent by the fast path ({@link PlainStart}) at
     * {@code startMillis}, due at {@code deadlineMillis} (as the fast path reckoned it): the state
     * {@link #begin} and the first attempt would have left, so that what follows (deciding its head or its failure) is the full path's.
     */
    Execution<R> afterPlainStart(long startMillis, long deadlineMillis) {
        authorization = spec.header("Authorization"); // no credential source on the fast path
        prepareHop();
        state = engine.decider().start(facts, startMillis, deadlineMillis);
        startedMillis = startMillis;
        requests = 1;
        return this;
    }

    /**
     * Follows the permanent redirects remembered for this URI and principal, each decided by the
     * decision function exactly like the live 301 or 308 (finding: a shortcut around it once sent a
     * PUT with its body to another origin). One it refuses is not used: the request goes to the URI
     * the caller gave, and the server answers for itself.
     */
    private void followRemembered() {
        RedirectStore store = engine.redirectStore();
        if (store.isEmpty()) {
            return;
        }
        for (int hop = 0; hop < engine.policy().limits().maxRedirects(); hop++) {
            String key = redirectKey();
            RedirectStore.Moved moved = Revalidation.quietly(() -> store.lookup(key));
            if (moved == null) {
                return;
            }
            if (!moved.liveAt(engine.clock().millis())) {
                Revalidation.quietly(() -> {
                    store.forget(key);
                    return null;
                });
                return;
            }
            Decision decision = engine.decider().decide(facts, new Remembered(moved), state);
            if (!(decision instanceof Decision.FollowRedirect follow)) {
                return;
            }
            report(decision);
            applyFollow(follow);
        }
    }

    /** A remembered redirect, as the decision function reads a response. */
    private record Remembered(RedirectStore.Moved moved) implements ResponseFacts {
        @Override
        public int status() {
            return moved.status();
        }

        @Override
        public List<String> headerValues(String name) {
            return name.equalsIgnoreCase("Location") ? List.of(moved.target().toString()) : List.of();
        }
    }

    /** Builds the facts for the current hop, including the cache lookup (the conditional stage). */
    private void prepareHop() {
        enter(Stage.CONDITIONAL);
        holdKeyUri = null; // the hold keys follow the hop's URI and credentials
        cached = null;
        cacheKey = null;
        conditional = Conditional.NONE;
        boolean callerValidators = spec.header("If-None-Match") != null || spec.header("If-Modified-Since") != null;
        if (callerValidators && firstHop()) {
            conditional = Conditional.BY_CALLER;
        } else if (engine.responseStore() != null && method.equals("GET") && !skipCache) {
            cacheKey = cacheKey(uri);
            cached = Revalidation.revalidatable(engine.responseStore(), cacheKey);
            if (cached != null) {
                conditional = Conditional.BY_CACHE;
            }
        }
        boolean lengthKnown = sendBody && (spec.lengthKnown() || forceLength);
        facts = new RequestFacts(method, uri, sendBody, sendBody && spec.replayable(), lengthKnown,
                spec.header("Idempotency-Key") != null, spec.options().retrySafe(),
                spec.options().awaitResource(), spec.options().deadline(), conditional, cached != null,
                engine.credentials() != null && !credentialsDropped, engine.proxyCredentials() != null);
    }

    private boolean firstHop() {
        return state == null || state.redirects() == 0;
    }

    // ---- the origin's state, before every attempt (issue 11) ---------------------------------

    /** The stage before every attempt: the origin's holds, then the attempt, a wait, or a refusal. */
    private Step next() {
        enter(Stage.HOST_STATE);
        if (!engine.circuitStore().isEmpty() || engine.decider().circuitBreakerOn(facts)) {
            Step refused = checkCircuit();
            if (refused != null) {
                return refused;
            }
        }
        HoldStore holds = engine.holdStore();
        if (holds.isEmpty()) { // the common case: no key is made
            return attempt();
        }
        if (uri != holdKeyUri) {
            holdKeyUri = uri;
            String origin = Origin.of(uri).toString();
            originHoldKey = "HOLD " + origin;
            principalHoldKey = credentialsDropped ? Revalidation.key("HOLD-PRINCIPAL", URI.create(origin), null, null)
                    : Revalidation.key("HOLD-PRINCIPAL", URI.create(origin), authorization, cookies());
        }
        Step held = checkHold(holds, originHoldKey);
        if (held == null) {
            held = checkHold(holds, principalHoldKey);
        }
        return held != null ? held : attempt();
    }

    /** What the origin's circuit asks before the attempt: null to go on, or the refusal. */
    private Step checkCircuit() {
        String origin = Origin.of(uri).toString();
        if (circuitOrigin == null) {
            circuitOrigin = origin;
            circuitFacts = facts;
        }
        if (origin.equals(circuitProbe)) {
            return null; // this call is the probe: its own retries go on
        }
        io.statuspolicy.decision.Circuit circuit = Revalidation.quietly(() -> engine.circuitStore().get(origin));
        HostCheck check = engine.decider().beforeAttempt(facts, state, null, circuit);
        if (check instanceof HostCheck.Refuse refuse) {
            report(refuse.decision());
            return new Fail(refuse.decision(), null);
        }
        if (check instanceof HostCheck.Probe) {
            long now = engine.clock().millis();
            boolean[] claimed = new boolean[1];
            io.statuspolicy.decision.Circuit seen = circuit;
            io.statuspolicy.decision.Circuit after;
            try {
                after = engine.circuitStore().update(origin, now, c -> {
                    claimed[0] = c != null && c.equals(seen);
                    return claimed[0] ? c.halfOpen(now) : c;
                });
            } catch (RuntimeException e) {
                return null; // a failing store never fails the call: the attempt goes
            }
            if (!claimed[0]) { // another call claimed the probe meanwhile: half-open, this one fails at once
                Decision.Fail refused = new Decision.Fail(((HostCheck.Probe) check).rule(), seen.lastStatus(),
                        FailureReason.CIRCUIT_OPEN, "half-open: one probe in flight", null);
                report(refused);
                return new Fail(refused, null);
            }
            circuitProbe = origin;
            reportCheck(check);
            circuitChanged(origin, seen, after);
        }
        return null;
    }

    /** Counts the call's outcome for the circuit of the origin it started at, once, when the call ends. */
    private void recordCircuit(Decision decision) {
        String origin = circuitOrigin;
        boolean probe = origin.equals(circuitProbe);
        circuitProbe = null;
        if (!probe && !engine.decider().circuitBreakerOn(circuitFacts)) {
            return;
        }
        long now = engine.clock().millis();
        io.statuspolicy.decision.Circuit[] before = new io.statuspolicy.decision.Circuit[1];
        io.statuspolicy.decision.Circuit after = Revalidation.quietly(() -> engine.circuitStore().update(origin, now,
                c -> {
                    before[0] = c;
                    return engine.decider().circuitAfter(circuitFacts, c, decision, probe);
                }));
        circuitChanged(origin, before[0], after);
    }

    private void circuitChanged(String origin, io.statuspolicy.decision.Circuit from,
            io.statuspolicy.decision.Circuit to) {
        io.statuspolicy.decision.CircuitState was = from == null ? io.statuspolicy.decision.CircuitState.CLOSED
                : from.state();
        io.statuspolicy.decision.CircuitState now = to == null ? io.statuspolicy.decision.CircuitState.CLOSED
                : to.state();
        if (was != now && listener != PolicyListener.NONE) {
            listener.circuitChanged(new PolicyEvent.CircuitChanged(origin, was, now,
                    engine.decider().explainCircuit(circuitFacts, from, to), engine.clock().millis()));
        }
    }

    /** What {@code key}'s hold asks before the attempt, or null to send. */
    private Step checkHold(HoldStore holds, String key) {
        for (int read = 0; read < 3; read++) {
            long now = engine.clock().millis();
            HostHold hold = Revalidation.quietly(() -> holds.get(key, now)); // a broken store reads as no hold
            HostCheck check = engine.decider().beforeAttempt(facts, state, hold);
            if (check instanceof HostCheck.Proceed) {
                return null;
            }
            if (check instanceof HostCheck.Refuse refuse) {
                report(refuse.decision());
                return new Fail(refuse.decision(), null);
            }
            if (check instanceof HostCheck.Probe) {
                if (key.equals(probeKey)) {
                    return null;
                }
                if (probeKey == null && Boolean.TRUE.equals(Revalidation.quietly(() -> holds.claimProbe(key, now)))) {
                    probeKey = key;
                    reportCheck(check);
                    return null;
                }
                if (probeKey != null) {
                    return null; // already the probe of the other hold: one probe per call
                }
                continue; // another call claimed it meanwhile: read again
            }
            reportCheck(check);
            if (check instanceof HostCheck.Wait wait) {
                waitedMillis += wait.delayMillis();
                return new Wait(wait.delayMillis());
            }
            HostCheck.AwaitProbe await = (HostCheck.AwaitProbe) check;
            java.util.concurrent.CompletableFuture<Void> ended = Revalidation.quietly(() -> holds.whenProbeEnds(key));
            return new AwaitProbe(ended == null ? java.util.concurrent.CompletableFuture.completedFuture(null) : ended,
                    Math.max(1, Math.min(await.maxMillis(), HoldStore.PROBE_LEASE_MILLIS)));
        }
        return null; // the probe slot changed hands three times while we read: send rather than spin
    }

    /** Keeps the hold a 503's or 429's {@code Retry-After} makes for the other calls. */
    private void recordHold(RequestFacts known, Exchange<R> exchange, Decision decision) {
        HostHold hold = engine.decider().holdAfter(known, exchange, decision);
        if (hold == null) {
            return;
        }
        String origin = Origin.of(uri).toString();
        String key = hold.scope() == HostHold.Scope.ORIGIN ? "HOLD " + origin
                : credentialsDropped ? Revalidation.key("HOLD-PRINCIPAL", URI.create(origin), null, null)
                : Revalidation.key("HOLD-PRINCIPAL", URI.create(origin), authorization, cookies());
        long now = engine.clock().millis();
        Revalidation.quietly(() -> {
            engine.holdStore().hold(key, hold, now);
            return null;
        });
    }

    /** The probe this call sent answered ({@code released}: a success, the hold is lifted) or ended. */
    private void endProbe(boolean released) {
        String key = probeKey;
        probeKey = null;
        long now = engine.clock().millis();
        Revalidation.quietly(() -> {
            engine.holdStore().probeEnded(key, released, now);
            return null;
        });
    }

    private void reportCheck(HostCheck check) {
        if (listener != PolicyListener.NONE) {
            listener.hostChecked(new PolicyEvent.HostChecked(method, uri, check, engine.clock().millis()));
        }
    }

    /** The next attempt, its header fields computed from the caller's and this hop's state. */
    private Attempt attempt() {
        enter(Stage.HEADERS);
        Map<String, List<String>> headers = asGiven() ? spec.headers() : hopHeaders();
        requests++;
        if (listener != PolicyListener.NONE) {
            listener.attemptStarted(new PolicyEvent.AttemptStarted(method, uri, requests, engine.clock().millis(),
                    new ArrayList<>(headers.keySet()), nextType));
        }
        enter(Stage.SEND);
        Attempt.BodyMode body = !sendBody ? Attempt.BodyMode.NONE
                : forceLength ? Attempt.BodyMode.WITH_CONTENT_LENGTH : Attempt.BodyMode.AS_GIVEN;
        boolean fresh = freshConnection;
        freshConnection = false;
        return new Attempt(requests, method, Revalidation.withoutFragment(uri), headers, body, remainingMillis(),
                fresh);
    }

    /**
     * Whether the caller's header fields go out as they are (the common first attempt: nothing
     * to add, drop or replace), so the engine neither copies nor rebuilds them.
     */
    private boolean asGiven() {
        if (!firstHop() || sendBody != spec.hasBody() || proxyAuthorization != null
                || conditional == Conditional.BY_CACHE) {
            return false;
        }
        return authorization == null ? spec.header("Authorization") == null
                : authorization.equals(spec.header("Authorization"));
    }

    /** The header fields of this hop: the caller's, with the per-hop rules applied. */
    private Map<String, List<String>> hopHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        spec.headers().forEach((name, values) -> {
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
            headers.put(name, values);
        });
        if (!credentialsDropped && authorization != null) {
            headers.put("Authorization", List.of(authorization));
        }
        if (proxyAuthorization != null) {
            // For the proxy, not the origin: it stays while the route goes through the same proxy,
            // whatever the origin (the client never sends Proxy-* fields on a direct connection).
            headers.put("Proxy-Authorization", List.of(proxyAuthorization));
        }
        if (conditional == Conditional.BY_CACHE && cached != null) {
            Revalidation.addValidators(headers, cached);
        }
        return headers;
    }

    // ---- what happened, and what comes next --------------------------------------------------

    /** The head of a response arrived: decide on it. */
    Step onExchange(Exchange<R> exchange) {
        enter(Stage.DECIDE);
        String framing = Framing.problem(exchange);
        if (framing != null) {
            // RFC 9112 §6.3: a message whose framing cannot be trusted is a failure of this
            // attempt, never a response read to the connection's close.
            exchange.discard();
            return decideFailure(new TransportFailure(TransportFailure.Kind.MALFORMED_RESPONSE, framing),
                    new IOException("malformed response from " + Redaction.uri(uri) + ": " + framing));
        }
        RequestFacts known = facts;
        if (exchange.status() == 304 && cached != null && !Revalidation.sameRepresentation(cached, exchange)) {
            // RFC 9111 §4.3.4: a 304 naming another representation cannot freshen ours. The entry
            // is dropped and the request sent once more, unconditionally, so the caller gets the
            // current representation rather than a 304 it never asked for.
            Revalidation.forget(engine.responseStore(), cacheKey);
            if (!skipCache) {
                exchange.discard();
                skipCache = true;
                nextType = AttemptType.RETRY;
                prepareHop();
                return attempt();
            }
            known = facts.withConditional(Conditional.BY_CACHE, false);
        }
        Decision decision = engine.decider().decide(known, exchange, state);
        if (listener != PolicyListener.NONE) {
            listener.decisionMade(new PolicyEvent.DecisionMade(method, uri, decision, engine.clock().millis(),
                    new ArrayList<>(exchange.headers().keySet())));
        }
        int status = exchange.status();
        if (status == 503 || status == 429) {
            recordHold(known, exchange, decision);
        }
        if (probeKey != null) {
            endProbe(status < 500 && status != 429); // after the new hold, so the ones woken see it
        }
        return act(decision, exchange);
    }

    /** The attempt failed before a head arrived. */
    Step onFailure(Throwable error) {
        enter(Stage.DECIDE);
        Throwable cause = unwrap(error);
        return decideFailure(transport.classify(cause), cause);
    }

    private Step decideFailure(TransportFailure failure, Throwable cause) {
        failed(cause);
        if (probeKey != null) {
            endProbe(false);
        }
        Decision decision = engine.decider().decide(facts, failure, state);
        report(decision);
        return act(decision, null);
    }

    /**
     * The body of a response handed to the caller broke. When the caller saw none of it (a
     * buffering handler had not completed), it is a transport failure of that attempt and decided
     * as one; otherwise the call fails without another attempt, still with a decision.
     */
    Step onBodyFailure(Decision delivered, Throwable error) {
        Throwable cause = unwrap(error);
        boolean unseen = cause instanceof BodyFailure body && !body.callerSawBody();
        Throwable root = cause instanceof BodyFailure && cause.getCause() != null ? cause.getCause() : cause;
        if (unseen && delivered instanceof Decision.Complete) {
            return onFailure(root);
        }
        failed(root);
        TransportFailure failure = transport.classify(root);
        Decision.Fail fail = new Decision.Fail(engine.policy().transportFailureRule(), 0,
                unseen ? FailureReason.TRANSPORT_NOT_RETRIED : FailureReason.TRANSPORT_NOT_REPEATABLE,
                "the body of the " + delivered.status() + " response broke"
                        + (unseen ? "" : " after part of it reached the caller"), failure);
        report(fail);
        return new Fail(fail, null);
    }

    /** A wait ended. */
    Step onWaited() {
        return next();
    }

    /** A credential refresh came back with {@code fresh}, or failed with {@code error}. */
    Step onRefreshed(Refresh refresh, String fresh, Throwable error) {
        Decision.RefreshCredentials decision = refresh.decision();
        if (error != null) {
            Throwable cause = unwrap(error);
            if (cause instanceof java.util.concurrent.TimeoutException) {
                Decision.Fail fail = new Decision.Fail(decision.rule(), decision.status(),
                        FailureReason.DEADLINE_EXCEEDED, "the credential refresh took longer than the time left",
                        null);
                report(fail);
                return new Fail(fail, refresh.refusal());
            }
            failed(cause);
            return keepRefusal(refresh, "the credential source failed: " + cause.getMessage());
        }
        if (fresh == null || fresh.equals(refresh.refused())) {
            return keepRefusal(refresh, null);
        }
        refresh.refusal().discard();
        if (decision.target() == CredentialTarget.PROXY) {
            proxyAuthorization = fresh;
        } else {
            authorization = fresh;
        }
        state = state.after(decision);
        nextType = AttemptType.CREDENTIALS;
        prepareHop(); // the cache key follows the new credentials
        if (remainingMillis() <= 0) {
            Decision.Fail fail = new Decision.Fail(decision.rule(), decision.status(),
                    FailureReason.DEADLINE_EXCEEDED, "no time left after the credential refresh", null);
            report(fail);
            return new Fail(fail, null);
        }
        return next();
    }

    /** No fresh credentials: the refusal (401, 403, 407) is the answer, body and all, whatever its size. */
    private Step keepRefusal(Refresh refresh, String detail) {
        Decision.Fail fail = engine.decider().credentialsNotRenewed(refresh.decision(), detail);
        report(fail);
        return new Deliver(refresh.refusal(), fail, null, remainingMillis());
    }

    /** Carries a decision out, as far as a step. */
    private Step act(Decision decision, Exchange<R> exchange) {
        if (decision instanceof Decision.Complete) {
            return new Deliver(exchange, decision, storeTap(exchange), remainingMillis());
        }
        if (decision instanceof Decision.Fail fail) {
            FailureCategory category = fail.category();
            if (exchange != null && category != FailureCategory.EXHAUSTED && category != FailureCategory.TRANSPORT) {
                return new Deliver(exchange, fail, null, remainingMillis()); // statuses are data
            }
            return new Fail(fail, exchange);
        }
        if (decision instanceof Decision.UseCachedCopy) {
            CachedResponse fresh = cached.freshenedWith(exchange.headers(), engine.clock().millis());
            Revalidation.put(engine.responseStore(), cacheKey, fresh);
            return new DeliverStored(exchange, fresh, decision);
        }
        if (decision instanceof Decision.RefreshCredentials refresh) {
            boolean proxy = refresh.target() == CredentialTarget.PROXY;
            SingleFlightCredentials source = proxy ? engine.proxyCredentials() : engine.credentials();
            String scope = proxy ? "proxy" : Origin.of(uri).toString();
            return new Refresh(refresh, exchange, proxy ? proxyAuthorization : authorization, scope, source, uri);
        }
        if (exchange != null) {
            exchange.discard(); // bounded and non-blocking: never read to its end
        }
        if (decision instanceof Decision.Retry retry) {
            enter(Stage.BUDGET);
            if (uri != budgetKeyUri) { // made once per URI, not per retry
                budgetKeyUri = uri;
                budgetKey = budgetKey(uri);
            }
            engine.decider().budget().recordRetry(budgetKey, engine.clock().millis());
            state = state.after(retry);
            nextType = retry.basis() == DelayBasis.AWAITING_RESOURCE ? AttemptType.AWAIT
                    : AttemptType.RETRY;
            if (exchange != null && exchange.status() == 421) {
                freshConnection = true; // RFC 9110 §15.5.20: retry on a new connection
            }
            return waitThen(retry, retry.delayMillis());
        }
        if (decision instanceof Decision.FollowRedirect follow) {
            if (follow.permanent() && exchange != null && Revalidation.rememberable(exchange)) {
                remember(follow, Revalidation.redirectLifetimeMillis(exchange));
            }
            applyFollow(follow);
            nextType = AttemptType.REDIRECT;
            return waitThen(follow, follow.delayMillis());
        }
        if (decision instanceof Decision.ResendWithContentLength resend) {
            forceLength = true;
            nextType = AttemptType.LENGTH_RESEND;
            state = state.after(resend);
            prepareHop();
            return next();
        }
        throw new IllegalStateException("no step for " + decision);
    }

    private void remember(Decision.FollowRedirect follow, long lifetimeMillis) {
        if (lifetimeMillis <= 0) {
            return;
        }
        String key = redirectKey();
        long expires = engine.clock().millis() + Math.min(lifetimeMillis, Long.MAX_VALUE / 4);
        RedirectStore.Moved moved = new RedirectStore.Moved(Revalidation.withoutFragment(follow.target()),
                follow.status(), expires);
        Revalidation.quietly(() -> {
            engine.redirectStore().remember(key, moved);
            return null;
        });
    }

    private void applyFollow(Decision.FollowRedirect follow) {
        state = state.after(follow);
        uri = keepFragment(follow.target(), spec.uri());
        if (!follow.keepBody()) {
            sendBody = false;
        }
        method = follow.method();
        credentialsDropped = credentialsDropped || follow.dropCredentials();
        prepareHop();
    }

    private Step waitThen(Decision decision, long delayMillis) {
        if (delayMillis <= 0) {
            return next();
        }
        enter(Stage.WAIT);
        if (listener != PolicyListener.NONE) {
            listener.waiting(new PolicyEvent.Waiting(decision, delayMillis, engine.clock().millis()));
        }
        waitedMillis += delayMillis;
        return new Wait(delayMillis);
    }

    /** A tap that stores a returned 200 for later conditional requests, when it may be stored. */
    private BodyTap storeTap(Exchange<R> exchange) {
        ResponseStore store = engine.responseStore();
        if (store == null) {
            return null;
        }
        int status = exchange.status();
        if (status == 200 && cacheKey != null && Revalidation.storable(exchange)) {
            return Revalidation.storing(store, cacheKey, uri, exchange.headers(), () -> engine.clock().millis());
        }
        if (!Methods.isSafe(method) && status < 400) {
            Revalidation.forget(store, cacheKey(uri)); // RFC 9111 §4.4: an unsafe method invalidates
        }
        return null;
    }

    // ---- the end of the call -----------------------------------------------------------------

    /** The response reached the caller. */
    void delivered(Decision decision) {
        int status = decision.status();
        if (status > 0 && status < 500 && status != 429) { // the origin answered: a banking budget saves credit
            engine.decider().budget().recordSuccess(uri, state == null ? 0 : state.retries(), engine.clock().millis());
        }
        if (decision instanceof Decision.Fail fail && listener != PolicyListener.NONE) {
            listener.gaveUp(new PolicyEvent.GaveUp(method, uri, fail, requests, engine.clock().millis()));
        }
        finished(decision);
    }

    /** The exception a failed call ends with; {@code kept} is the start of the last response's body. */
    PolicyException failure(Decision.Fail fail, Exchange<?> exchange, Exchange.Kept kept) {
        PolicyException.LastResponse last = exchange == null ? null : new PolicyException.LastResponse(
                exchange.status(), exchange.headers(), kept == null ? new byte[0] : kept.body(),
                kept == null || kept.truncated());
        Throwable cause = earlier == null ? null : earlier.get(earlier.size() - 1);
        PolicyException failure = new PolicyException(fail, requests, state == null ? 0 : state.retries(),
                waitedMillis, last, cause);
        for (int i = 0; earlier != null && i < earlier.size() - 1; i++) {
            failure.addSuppressed(earlier.get(i));
        }
        if (listener != PolicyListener.NONE) {
            listener.gaveUp(new PolicyEvent.GaveUp(method, uri, fail, requests, engine.clock().millis()));
        }
        finished(fail);
        return failure;
    }

    /** The call ended without a decision: cancelled, interrupted, or a local failure. */
    void ended() {
        finished(null);
    }

    /** The time left before the call's deadline, in milliseconds ({@link Long#MAX_VALUE} for none). */
    long remainingMillis() {
        return state == null ? Long.MAX_VALUE : Math.max(0, state.remainingMillis(engine.clock().millis()));
    }

    /** Exactly one {@code callFinished} per call, whichever path ends it. */
    private void finished(Decision decision) {
        if (probeKey != null) {
            endProbe(false); // a probe that never answered (cancelled, interrupted) frees the slot
        }
        boolean circuit = circuitOrigin != null;
        if ((listener == PolicyListener.NONE && !circuit) || finished || !FINISHED.compareAndSet(this, false, true)) {
            return;
        }
        if (circuit) {
            recordCircuit(decision);
        }
        if (listener == PolicyListener.NONE) {
            return;
        }
        long now = engine.clock().millis();
        listener.callFinished(new PolicyEvent.CallFinished(method, uri, decision, requests,
                state == null ? 0 : state.retries(), state == null ? 0 : state.redirects(),
                state == null ? 0 : now - startedMillis, now));
    }

    private void report(Decision decision) {
        if (listener != PolicyListener.NONE) {
            listener.decisionMade(new PolicyEvent.DecisionMade(method, uri, decision, engine.clock().millis()));
        }
    }

    private void failed(Throwable cause) {
        if (earlier == null) {
            earlier = new ArrayList<>(4);
        }
        earlier.add(cause);
    }

    private void enter(Stage stage) {
        if (trace != null) {
            synchronized (trace) {
                trace.add(stage);
            }
        }
    }

    // ---- keys ----------------------------------------------------------------------------------

    /** The response store's key for a GET of {@code target} with this hop's credentials. */
    private String cacheKey(URI target) {
        return credentialsDropped ? Revalidation.key("GET", target, null, null)
                : Revalidation.key("GET", target, authorization, cookies());
    }

    /** The redirect store's key for the current URI and principal. */
    private String redirectKey() {
        return credentialsDropped ? Revalidation.key("MOVED", uri, null, null)
                : Revalidation.key("MOVED", uri, authorization, cookies());
    }

    private List<String> cookies() {
        String cookie = spec.header("Cookie");
        return cookie == null ? null : List.of(cookie);
    }

    /** The retry budget's key: the origin, as the decision function asks it. */
    static String budgetKey(URI uri) {
        return io.statuspolicy.budget.RetryBudget.keyOf(uri);
    }

    private static URI keepFragment(URI target, URI from) {
        return target.getRawFragment() == null && from.getRawFragment() != null
                ? URI.create(target + "#" + from.getRawFragment()) : target;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
