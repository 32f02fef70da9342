package io.statuspolicy.decision;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.http.AddressScope;
import io.statuspolicy.http.LocationResolver;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.Redaction;
import io.statuspolicy.http.RetryAfter;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.HttpStatus;
import io.statuspolicy.policy.Limits;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RedirectTargetFilter;
import io.statuspolicy.policy.Rule;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The decision function: maps (the request's facts, the response or the transport failure, the
 * attempt state) to a {@link Decision}. It has no I/O and no hidden inputs: time comes from the
 * injected {@link Clock}, randomness (jitter) from the injected {@link RandomGenerator}, and the
 * retry budget is only read, never spent, here. Given the same inputs it gives the same answer.
 *
 * <p>Thread-safe when the injected clock, random source and budget are (the defaults are).
 * One instance serves every call of an executor.
 *
 * <p>The order of the checks is behaviour and is the same for every retry: may the request be
 * repeated at all (idempotency, RFC 9110 §9.2.2), can its body be sent again, does the rule or
 * the attempt limit allow another try, how long to wait (the larger of backoff and
 * {@code Retry-After}, failing at once when {@code Retry-After} is beyond the cap or the time
 * left), and finally the retry budget.
 *
 * <p>A 2xx response costs one array read and returns a decision made in advance: nothing is
 * allocated on that path.
 */
public final class Decider {
    private final Policy policy;
    private final Clock clock;
    private final RandomGenerator random;
    private final RetryBudget budget;
    private final Compiled base;
    private final Map<Policy, Compiled> scoped;

    /**
     * @param policy the policy to carry out
     * @param clock  the executor's clock (milliseconds since the epoch; used for deadlines,
     *               HTTP-dates and the budget window)
     * @param random the source of jitter
     * @param budget the retry budget, only read here; asked with {@link RetryBudget#keyOf} as its
     *               key, the key the executors record under (see {@link RetryBudget})
     */
    public Decider(Policy policy, Clock clock, RandomGenerator random, RetryBudget budget) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.base = new Compiled(policy);
        Map<Policy, Compiled> routes = new IdentityHashMap<>();
        for (Policy.ScopedPolicy route : policy.routes()) {
            routes.put(route.policy(), new Compiled(route.policy()));
        }
        this.scoped = routes;
    }

    public Policy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    public RetryBudget budget() {
        return budget;
    }

    /** The state of a call that is about to send its first request. */
    public AttemptState start(RequestFacts request) {
        return start(request, clock.millis());
    }

    /** The state of a call whose first request was sent at {@code startMillis} (on this decider's clock). */
    public AttemptState start(RequestFacts request, long startMillis) {
        return start(request, startMillis,
                deadlineMillis(request.method(), request.uri(), request.deadline(), startMillis));
    }

    /**
     * The state of a call whose first request was sent at {@code startMillis} and must be over at
     * {@code deadlineMillis}, as an engine that reckoned the deadline itself (from a start reading
     * that may be slightly old: see the engine's fast path) already knows it.
     */
    public AttemptState start(RequestFacts request, long startMillis, long deadlineMillis) {
        return AttemptState.first(request.method(), request.uri(), startMillis, deadlineMillis);
    }

    /**
     * When a call of {@code method uri} that starts at {@code startMillis} must be over: its own
     * {@code deadline} when it has one, else its policy's; what {@link #start} puts in the state.
     */
    public long deadlineMillis(String method, URI uri, Duration deadline, long startMillis) {
        return saturatedAdd(startMillis, deadline != null ? millisOf(deadline) : compiled(method, uri).deadlineMillis);
    }

    /**
     * The decision {@link #decide} makes for {@code status} when it needs nothing but the status
     * and the request's method and URI (a status the policy returns as it is, a success), so that
     * an engine can decide a first response before it has built the call's facts and state; null
     * when deciding needs more. The same object {@code decide} returns; allocates nothing.
     */
    public Decision.Complete completion(String method, URI uri, int status) {
        if (!HttpStatus.isValid(status)) {
            return null;
        }
        return compiled(method, uri).completion[status];
    }

    /** Decides what to do with a response. */
    public Decision decide(RequestFacts request, ResponseFacts response, AttemptState state) {
        Compiled c = compiled(request);
        int status = response.status();
        if (!HttpStatus.isValid(status)) {
            return new Decision.Fail(c.policy.classRule(5), status, FailureReason.INVALID_STATUS,
                    "status " + status, null);
        }
        Rule rule = c.policy.rule(status);
        return switch (rule.handling()) {
            case SUCCEED, INFORMATIONAL -> c.complete[status];
            case REDIRECT_PERMANENT, REDIRECT_TEMPORARY, REDIRECT_SEE_OTHER ->
                    redirect(c, rule, status, request, response, state);
            case USE_CACHED_COPY -> notModified(c, rule, status, request);
            case REFRESH_CREDENTIALS -> {
                String bearerError = BearerChallenge.errorThatRefreshCannotFix(response.headerValues("WWW-Authenticate"));
                yield bearerError != null
                        ? fail(rule, status, FailureReason.CREDENTIALS_CANNOT_HELP, "Bearer error=\"" + bearerError + "\"")
                        : refresh(rule, status, CredentialTarget.ORIGIN, request, state);
            }
            case REFRESH_PROXY_CREDENTIALS -> refresh(rule, status, CredentialTarget.PROXY, request, state);
            case RETRY -> retry(c, rule, status, null, request, state, retryAfter(response), false);
            case RETRY_ONLY_AFTER_RETRY_AFTER -> {
                RetryAfter retryAfter = retryAfter(response);
                yield retryAfter.isPresent()
                        ? retry(c, rule, status, null, request, state, retryAfter, false)
                        : fail(rule, status, FailureReason.NO_RETRY_AFTER, retryAfter.problem());
            }
            case RESEND_WITH_CONTENT_LENGTH -> lengthRequired(rule, status, request, state);
            case AWAIT_RESOURCE -> awaitResource(c, rule, status, request, response, state);
            case FAIL -> fail(rule, status, FailureReason.NOT_RETRYABLE, null);
            case NOT_USED -> fail(rule, status, FailureReason.NOT_USED, null);
        };
    }

    /** Decides what to do when a request got no response. */
    public Decision decide(RequestFacts request, TransportFailure failure, AttemptState state) {
        Compiled c = compiled(request);
        Rule rule = c.policy.transportFailureRule();
        if (!failure.kind().retryable() || !rule.mayRepeat()) {
            return new Decision.Fail(rule, 0, FailureReason.TRANSPORT_NOT_RETRIED, null, failure);
        }
        return retry(c, rule, 0, failure, request, state, null, false);
    }

    /**
     * The decision when a {@link Decision.RefreshCredentials} could not be carried out: the
     * credential source returned nothing new (or failed, as {@code detail} says). The refusal
     * stands; the call is not repeated with the same credentials (RFC 9110 §15.5.2, §15.5.4).
     */
    public Decision.Fail credentialsNotRenewed(Decision.RefreshCredentials refresh, String detail) {
        return new Decision.Fail(refresh.rule(), refresh.status(), FailureReason.CREDENTIALS_NOT_RENEWED, detail, null);
    }

    // ---- the origin's state, before every attempt (issue 11) -----------------------------

    /**
     * The hold a response makes for the other calls of the client, or null: a 503 with a valid
     * {@code Retry-After} holds the origin, a 429 the origin for the request's principal (RFC 9110
     * §10.2.3, RFC 6585 §4), when the policy retries that status and has host holds on. A 413
     * makes none: its {@code Retry-After} is about that request's size, for that call only. The
     * hold ends when {@code Retry-After} says, but never later than the policy's
     * {@code retryAfterCap} from now (the cap applies to holds too).
     */
    public HostHold holdAfter(RequestFacts request, ResponseFacts response) {
        return holdAfter(request, response, null);
    }

    /**
     * {@link #holdAfter(RequestFacts, ResponseFacts)} for a response already decided as
     * {@code decided}: a retry's {@code Retry-After}, read for the decision, is not read again.
     */
    public HostHold holdAfter(RequestFacts request, ResponseFacts response, Decision decided) {
        int status = response.status();
        if (status != 503 && status != 429) {
            return null;
        }
        Compiled c = compiled(request);
        Limits limits = c.policy.limits();
        if (!limits.hostHolds() || c.policy.rule(status).handling() != Handling.RETRY) {
            return null;
        }
        RetryAfter retryAfter = decided instanceof Decision.Retry retry && retry.retryAfter() != null
                ? retry.retryAfter() : retryAfter(response);
        if (!retryAfter.isPresent() || retryAfter.delayMillis() <= 0) {
            return null;
        }
        long held = Math.min(retryAfter.delayMillis(), limits.retryAfterCap().toMillis());
        return new HostHold(status == 503 ? HostHold.Scope.ORIGIN : HostHold.Scope.PRINCIPAL, status,
                saturatedAdd(clock.millis(), held), false);
    }

    /**
     * What the origin's hold means for the next attempt (the first one included), decided before
     * it is sent: proceed when nothing holds it; wait for the rest of the hold when that ends
     * before the call's deadline, or fail at once ({@link FailureReason#HOST_HELD}, with the time
     * left on the hold) when it does not; once the hold is over, one attempt goes as the probe and
     * the others wait for its answer. A hold read from a shared store never holds a call longer
     * than the policy's {@code retryAfterCap}.
     *
     * @param hold the hold on the request's origin (or principal) as the store has it, or null
     */
    public HostCheck beforeAttempt(RequestFacts request, AttemptState state, HostHold hold) {
        if (hold == null) {
            return HostCheck.Proceed.INSTANCE;
        }
        Compiled c = compiled(request);
        Limits limits = c.policy.limits();
        if (!limits.hostHolds()) {
            return HostCheck.Proceed.INSTANCE;
        }
        Rule rule = c.policy.rule(hold.status());
        long now = clock.millis();
        long left = state.remainingMillis(now);
        long held = Math.min(hold.untilMillis() - now, limits.retryAfterCap().toMillis());
        if (held > 0) {
            if (held >= left) {
                return new HostCheck.Refuse(new Decision.Fail(rule, hold.status(), FailureReason.HOST_HELD,
                        hold.scope().phrase() + " held " + DecisionText.duration(held) + " more, "
                                + left(state, now), null));
            }
            return new HostCheck.Wait(rule, hold, held);
        }
        if (!hold.probing()) {
            return new HostCheck.Probe(rule, hold.status());
        }
        if (left <= 0) {
            return new HostCheck.Refuse(new Decision.Fail(rule, hold.status(), FailureReason.HOST_HELD,
                    "the probe after the hold has not answered, " + left(state, now), null));
        }
        return new HostCheck.AwaitProbe(rule, hold, left);
    }

    /**
     * What the origin's circuit breaker means for the next attempt: an open circuit fails the call
     * at once ({@link FailureReason#CIRCUIT_OPEN}, with the time it stays open); once its delay
     * ended, one attempt goes as the probe ({@link HostCheck.Probe}) and the others fail at once
     * while it is in flight (half-open). Then the hold, as {@link #beforeAttempt(RequestFacts,
     * AttemptState, HostHold)}.
     *
     * @param circuit the origin's circuit as the store has it, or null for a closed one
     */
    public HostCheck beforeAttempt(RequestFacts request, AttemptState state, HostHold hold, Circuit circuit) {
        if (circuit != null && circuit.state() != CircuitState.CLOSED
                && compiled(request).policy.limits().circuitBreaker().enabled()) {
            Rule rule = circuitRule(request, circuit.lastStatus());
            long now = clock.millis();
            if (circuit.state() == CircuitState.OPEN && now >= circuit.openUntilMillis()
                    || circuit.state() == CircuitState.HALF_OPEN && now - circuit.lastMillis() >= PROBE_LEASE_MILLIS) {
                return new HostCheck.Probe(rule, circuit.lastStatus()); // a probe unanswered for its lease is replaced
            }
            String detail = circuit.state() == CircuitState.HALF_OPEN ? "half-open: one probe in flight"
                    : "open " + DecisionText.duration(circuit.openUntilMillis() - now) + " more, after "
                            + circuit.failures() + " failed calls in a row";
            return new HostCheck.Refuse(new Decision.Fail(rule, circuit.lastStatus(), FailureReason.CIRCUIT_OPEN,
                    detail, circuit.lastStatus() == 0 ? CIRCUIT_OPEN_FAILURE : null));
        }
        return beforeAttempt(request, state, hold);
    }

    /** Whether the circuit breaker is on for this request (its route's limits, or the policy's). */
    public boolean circuitBreakerOn(RequestFacts request) {
        return circuitBreakerOn(request.method(), request.uri());
    }

    /** Whether the policy for {@code method uri} keeps a circuit breaker per origin. */
    public boolean circuitBreakerOn(String method, URI uri) {
        return compiled(method, uri).circuitBreaker;
    }

    /** How long a half-open circuit's probe may stay unanswered before another call probes instead. */
    public static final long PROBE_LEASE_MILLIS = 10_000;

    /** The transport failure an open circuit reports when the failures that opened it had no response. */
    private static final TransportFailure CIRCUIT_OPEN_FAILURE = new TransportFailure(TransportFailure.Kind.OTHER,
            "not sent: the circuit is open");

    /**
     * Whether a call that ended with {@code decision} failed as the circuit breaker counts it:
     * retries exhausted or refused by the budget, a transport failure, or a 5xx returned. A call
     * the client itself refused (a host hold, an open circuit) or cancelled is not the origin's
     * failure and is not counted.
     */
    public static boolean failedForCircuit(Decision decision) {
        if (decision instanceof Decision.Fail fail) {
            if (fail.reason() == FailureReason.HOST_HELD || fail.reason() == FailureReason.CIRCUIT_OPEN) {
                return false;
            }
            if (fail.failure() != null && fail.failure().kind() == TransportFailure.Kind.CANCELLED) {
                return false;
            }
            return fail.category() == FailureCategory.EXHAUSTED || fail.category() == FailureCategory.TRANSPORT
                    || fail.status() >= 500;
        }
        return decision.status() >= 500;
    }

    /**
     * The origin's circuit after a call ended with {@code decision} (null: the call ended without
     * a decision, which changes nothing). Closed: a failure counts one more, and
     * {@code failures} in a row open the circuit for {@code openFor}; a success clears the count.
     * The probe's success closes it; the probe's failure opens it again for {@code openFor}. The
     * other calls that end while it is open change nothing. Null means closed with no failures.
     *
     * @param probe whether this call was the half-open circuit's probe
     */
    public Circuit circuitAfter(RequestFacts request, Circuit before, Decision decision, boolean probe) {
        Circuit circuit = before == null ? Circuit.closed(clock.millis()) : before;
        if (decision == null) {
            return probe && circuit.state() == CircuitState.HALF_OPEN
                    ? new Circuit(CircuitState.OPEN, circuit.failures(), circuit.openUntilMillis(), circuit.lastStatus(),
                            clock.millis())
                    : before;
        }
        io.statuspolicy.policy.CircuitBreakerSettings settings = compiled(request).policy.limits().circuitBreaker();
        long now = clock.millis();
        boolean failed = failedForCircuit(decision);
        if (circuit.state() == CircuitState.CLOSED) {
            if (!failed) {
                return null;
            }
            int failures = circuit.failures() + 1;
            return failures >= settings.failures()
                    ? new Circuit(CircuitState.OPEN, failures, saturatedAdd(now, settings.openFor().toMillis()),
                            decision.status(), now)
                    : new Circuit(CircuitState.CLOSED, failures, 0, decision.status(), now);
        }
        if (!probe) {
            return circuit;
        }
        return failed ? new Circuit(CircuitState.OPEN, circuit.failures(),
                saturatedAdd(now, settings.openFor().toMillis()), decision.status(), now) : null;
    }

    /** Why the circuit changed from {@code from} to {@code to}, in one line with the rule of the last failure. */
    public String explainCircuit(RequestFacts request, Circuit from, Circuit to) {
        Circuit after = to == null ? Circuit.closed(clock.millis()) : to;
        Circuit before = from == null ? Circuit.closed(clock.millis()) : from;
        int status = after.state() == CircuitState.CLOSED ? before.lastStatus() : after.lastStatus();
        Rule rule = circuitRule(request, status);
        String subject = status == 0 ? "no response (transport failure)" : DecisionText.subject(rule, status, null);
        String what = switch (after.state()) {
            case OPEN -> before.state() == CircuitState.CLOSED
                    ? "circuit opened for " + DecisionText.duration(Math.max(0, after.openUntilMillis() - clock.millis()))
                            + " after " + after.failures() + " failed calls in a row"
                    : "circuit opened again for " + DecisionText.duration(Math.max(0,
                            after.openUntilMillis() - clock.millis())) + ": the probe failed";
            case HALF_OPEN -> "circuit half-open: one probe goes, the other calls fail at once until it answers";
            case CLOSED -> "circuit closed: the probe succeeded";
        };
        return subject + ": " + rule.says() + "; " + what;
    }

    private Rule circuitRule(RequestFacts request, int status) {
        Compiled c = compiled(request);
        return status == 0 || !HttpStatus.isValid(status) ? c.policy.transportFailureRule() : c.policy.rule(status);
    }

    // ---- the handlings -------------------------------------------------------------------

    private Decision retry(Compiled c, Rule rule, int status, TransportFailure failure, RequestFacts request,
            AttemptState state, RetryAfter retryAfter, boolean awaiting) {
        Limits limits = c.policy.limits();
        if (!mayRepeat(rule, failure, request)) {
            return failure == null
                    ? fail(rule, status, FailureReason.NOT_IDEMPOTENT, request.method())
                    : new Decision.Fail(rule, 0, FailureReason.TRANSPORT_NOT_REPEATABLE, request.method(), failure);
        }
        if (request.hasBody() && !request.bodyReplayable() && !neverSent(failure)) {
            return new Decision.Fail(rule, status, FailureReason.BODY_NOT_REPLAYABLE, null, failure);
        }
        int sameStatus = state.lastRetryStatus() == status ? state.sameStatusRetries() : 0;
        if (rule.maxRetries() != Rule.POLICY_LIMIT && sameStatus >= rule.maxRetries()) {
            return new Decision.Fail(rule, status, FailureReason.RULE_RETRIES_EXHAUSTED,
                    "at most " + rule.maxRetries() + " for " + rule.key(), failure);
        }
        if (!awaiting && state.attempt() >= limits.maxAttempts()) {
            FailureReason reason = failure == null ? FailureReason.ATTEMPTS_EXHAUSTED
                    : FailureReason.TRANSPORT_RETRIES_EXHAUSTED;
            return new Decision.Fail(rule, status, reason,
                    state.attempt() + " of " + limits.maxAttempts() + " attempts", failure);
        }
        long now = clock.millis();
        long delay = limits.backoff().delayMillis(state.retries() + 1, random.nextDouble());
        DelayBasis basis = awaiting ? DelayBasis.AWAITING_RESOURCE : DelayBasis.BACKOFF;
        if (retryAfter != null && retryAfter.isPresent()) {
            long asked = retryAfter.delayMillis();
            if (asked > limits.retryAfterCap().toMillis()) {
                return fail(rule, status, FailureReason.RETRY_AFTER_BEYOND_CAP,
                        DecisionText.duration(asked) + " asked, cap " + DecisionText.duration(
                                limits.retryAfterCap().toMillis()));
            }
            if (asked >= state.remainingMillis(now)) {
                return fail(rule, status, FailureReason.RETRY_AFTER_BEYOND_DEADLINE,
                        DecisionText.duration(asked) + " asked, " + left(state, now));
            }
            if (asked >= delay) {
                delay = asked;
                basis = DelayBasis.RETRY_AFTER;
            }
        }
        if (delay >= state.remainingMillis(now)) {
            return new Decision.Fail(rule, status, FailureReason.DEADLINE_EXCEEDED,
                    "next wait " + DecisionText.duration(delay) + ", " + left(state, now), failure);
        }
        if (awaiting) {
            long until = saturatedAdd(state.startMillis(), awaitWindow(c, request).toMillis());
            if (now + delay > until) {
                return fail(rule, status, FailureReason.AWAIT_WINDOW_CLOSED,
                        "awaited " + DecisionText.duration(Math.max(0, now - state.startMillis())));
            }
        } else if (!budget.allowsRetry(RetryBudget.keyOf(request.uri()), now)) {
            return new Decision.Fail(rule, status, FailureReason.RETRY_BUDGET_EXHAUSTED,
                    request.uri().getHost(), failure);
        }
        return new Decision.Retry(rule, status, failure, delay, basis, state.attempt() + 1,
                awaiting ? 0 : limits.maxAttempts(), retryAfter);
    }

    /**
     * RFC 9110 §9.2.2: an idempotent method, an {@code Idempotency-Key}, the caller's word, a
     * status that shows the server did not act, or a failure before the request left.
     */
    private static boolean mayRepeat(Rule rule, TransportFailure failure, RequestFacts request) {
        if (request.repeatable()) {
            return true;
        }
        return failure == null ? rule.requestNotProcessed() : !failure.kind().mayHaveBeenProcessed();
    }

    /**
     * A transport failure that proves no byte of the request left (no connection was made), so
     * a one-shot body was never read and can be sent on the next attempt. Any earlier attempt
     * of the call that did send the body ended the call (a one-shot body is never retried,
     * refreshed or redirected with its body), so the body is still whole.
     */
    private static boolean neverSent(TransportFailure failure) {
        return failure != null && !failure.kind().mayHaveBeenSent() && !failure.kind().mayHaveBeenProcessed();
    }

    private Decision awaitResource(Compiled c, Rule rule, int status, RequestFacts request, ResponseFacts response,
            AttemptState state) {
        if (awaitWindow(c, request).isZero()) {
            return fail(rule, status, FailureReason.NOT_AWAITED, null);
        }
        return retry(c, rule, status, null, request, state, retryAfter(response), true);
    }

    private static Duration awaitWindow(Compiled c, RequestFacts request) {
        return request.awaitResource() != null ? request.awaitResource() : c.policy.limits().awaitResource();
    }

    private Decision refresh(Rule rule, int status, CredentialTarget target, RequestFacts request,
            AttemptState state) {
        if (target == CredentialTarget.ORIGIN && state.credentialsDropped()) {
            // RFC 9110 §17.1 and the redirect CVEs: a foreign origin's challenge never gets our credentials.
            return fail(rule, status, FailureReason.CREDENTIALS_NOT_FOR_THIS_ORIGIN, null);
        }
        boolean available = target == CredentialTarget.ORIGIN ? request.originCredentials()
                : request.proxyCredentials();
        if (!available) {
            return fail(rule, status, FailureReason.CREDENTIALS_UNAVAILABLE,
                    target == CredentialTarget.PROXY ? "no proxy credentials configured" : null);
        }
        if (state.refreshed(target)) {
            // RFC 9110 §15.5.2 and §15.5.4: never loop on the same refusal.
            return fail(rule, status, FailureReason.CREDENTIALS_REFUSED_AGAIN, null);
        }
        if (request.hasBody() && !request.bodyReplayable()) {
            return fail(rule, status, FailureReason.BODY_NOT_REPLAYABLE, null);
        }
        if (state.remainingMillis(clock.millis()) <= 0) {
            return fail(rule, status, FailureReason.DEADLINE_EXCEEDED, null);
        }
        return new Decision.RefreshCredentials(rule, status, target);
    }

    private Decision lengthRequired(Rule rule, int status, RequestFacts request, AttemptState state) {
        if (request.contentLengthSent() || state.contentLengthResent()) {
            return fail(rule, status, FailureReason.LENGTH_REQUIRED_AGAIN, null);
        }
        if (request.hasBody() && !request.bodyReplayable()) {
            return fail(rule, status, FailureReason.BODY_NOT_REPLAYABLE, null);
        }
        if (state.remainingMillis(clock.millis()) <= 0) {
            return fail(rule, status, FailureReason.DEADLINE_EXCEEDED, null);
        }
        return new Decision.ResendWithContentLength(rule, status);
    }

    private static Decision notModified(Compiled c, Rule rule, int status, RequestFacts request) {
        return switch (request.conditional()) {
            case BY_CACHE -> request.cachedCopyAvailable()
                    ? new Decision.UseCachedCopy(rule, status)
                    : fail(rule, status, FailureReason.NOT_MODIFIED_WITHOUT_COPY, null);
            case BY_CALLER -> c.complete[status]; // the caller's own cache: RFC 9110 §15.4.5
            case NONE -> fail(rule, status, FailureReason.NOT_MODIFIED_UNCONDITIONAL, null);
        };
    }

    private Decision redirect(Compiled c, Rule rule, int status, RequestFacts request, ResponseFacts response,
            AttemptState state) {
        Limits limits = c.policy.limits();
        List<String> locations = distinct(response.headerValues("Location"));
        if (locations.isEmpty()) {
            return fail(rule, status, FailureReason.REDIRECT_WITHOUT_LOCATION, null);
        }
        if (locations.size() > 1) {
            // RFC 9110 §10.2.2: several Location lines cannot be recovered from reliably.
            return fail(rule, status, FailureReason.REDIRECT_AMBIGUOUS_LOCATION, locations.size() + " values");
        }
        if (state.redirects() >= limits.maxRedirects()) {
            return fail(rule, status, FailureReason.TOO_MANY_REDIRECTS,
                    state.redirects() + " of " + limits.maxRedirects() + " followed");
        }
        LocationResolver.Result resolved = LocationResolver.resolve(request.uri(), locations.get(0));
        if (resolved instanceof LocationResolver.Rejected rejected) {
            return fail(rule, status, FailureReason.REDIRECT_BAD_LOCATION, rejected.reason());
        }
        URI target = ((LocationResolver.Resolved) resolved).target();
        AddressScope internal = internalTarget(c.policy.redirectSafety().targetFilter(), request.uri(), target);
        if (internal != null) {
            return fail(rule, status, FailureReason.REDIRECT_TO_INTERNAL_ADDRESS,
                    Redaction.uri(target) + " is " + internal.phrase());
        }
        boolean downgrade = LocationResolver.isSecureDowngrade(request.uri(), target);
        if (downgrade && !c.policy.redirectSafety().allowHttpsToHttp()) {
            return fail(rule, status, FailureReason.REDIRECT_TO_HTTP, Redaction.uri(target));
        }
        String method = request.method();
        boolean keepBody = request.hasBody();
        if (rule.handling() == Handling.REDIRECT_SEE_OTHER) {
            // RFC 9110 §15.4.4: GET (HEAD stays HEAD), without content.
            if (!method.equals("HEAD")) {
                method = "GET";
            }
            keepBody = false;
        } else if ((status == 301 || status == 302) && method.equals("POST")) {
            // RFC 9110 §15.4.2, §15.4.3: only POST may become GET, "for historical reasons".
            method = "GET";
            keepBody = false;
        }
        boolean crossOrigin = !Origin.sameOrigin(request.uri(), target);
        if (crossOrigin && !Methods.isSafe(method) && !c.policy.redirectSafety().followUnsafeMethodsAcrossOrigins()) {
            return fail(rule, status, FailureReason.REDIRECT_UNSAFE_ACROSS_ORIGINS,
                    method + " to " + Origin.of(target));
        }
        if (keepBody && !request.bodyReplayable()) {
            return fail(rule, status, FailureReason.REDIRECT_BODY_NOT_REPLAYABLE, null);
        }
        if (state.visited(method, target)) {
            return fail(rule, status, FailureReason.REDIRECT_LOOP, method + " " + Redaction.uri(target));
        }
        long now = clock.millis();
        long delay = 0;
        RetryAfter retryAfter = retryAfter(response);
        if (retryAfter.isPresent()) {
            // RFC 9110 §10.2.3: on a 3xx, the least wait before following.
            if (retryAfter.delayMillis() > limits.retryAfterCap().toMillis()) {
                return fail(rule, status, FailureReason.RETRY_AFTER_BEYOND_CAP,
                        DecisionText.duration(retryAfter.delayMillis()) + " asked");
            }
            delay = retryAfter.delayMillis();
        }
        if (delay >= state.remainingMillis(now)) {
            return fail(rule, status, delay > 0 ? FailureReason.RETRY_AFTER_BEYOND_DEADLINE
                    : FailureReason.DEADLINE_EXCEEDED, left(state, now));
        }
        boolean dropCredentials = crossOrigin || downgrade || state.credentialsDropped();
        return new Decision.FollowRedirect(rule, status, target, method, keepBody,
                rule.handling() == Handling.REDIRECT_PERMANENT, dropCredentials, crossOrigin, delay);
    }

    // ---- helpers -------------------------------------------------------------------------

    /**
     * The scope of {@code target} when the filter refuses a hop from {@code from} to it, else
     * null. Literal hosts only (no DNS): a name other than localhost counts as public.
     */
    private static AddressScope internalTarget(RedirectTargetFilter filter, URI from, URI target) {
        if (filter == RedirectTargetFilter.ALLOW_ALL) {
            return null;
        }
        AddressScope to = AddressScope.ofHost(target.getHost());
        return to.isInternal() && AddressScope.ofHost(from.getHost()) == AddressScope.PUBLIC ? to : null;
    }

    private RetryAfter retryAfter(ResponseFacts response) {
        List<String> values = response.headerValues("Retry-After");
        if (values.isEmpty()) {
            // Absent, as parse would say, without looking up Date or reading the clock (asked
            // twice for every 503 and 429: by the decision and by the host hold).
            return RetryAfter.parse(values, List.of(), 0);
        }
        return RetryAfter.parse(values, response.headerValues("Date"), clock.millis());
    }

    private static Decision.Fail fail(Rule rule, int status, FailureReason reason, String detail) {
        return new Decision.Fail(rule, status, reason, detail, null);
    }

    private static String left(AttemptState state, long now) {
        return DecisionText.duration(Math.max(0, state.remainingMillis(now))) + " left before the deadline";
    }

    /**
     * The distinct values, stripped, in the order first seen. Linear in the number of lines
     * (a hash set, not a list search): a hostile response may carry thousands of them, and this
     * runs on the client's I/O thread.
     */
    private static List<String> distinct(List<String> values) {
        if (values.size() <= 1) {
            return values;
        }
        Set<String> unique = new LinkedHashSet<>(Math.max(16, (int) (values.size() / 0.75f) + 1));
        for (String value : values) {
            unique.add(value.strip());
        }
        return new ArrayList<>(unique);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private Compiled compiled(RequestFacts request) {
        return compiled(request.method(), request.uri());
    }

    private Compiled compiled(String method, URI uri) {
        if (scoped.isEmpty()) {
            return base;
        }
        Policy forRequest = policy.forRequest(method, uri);
        return forRequest == policy ? base : scoped.get(forRequest);
    }

    /** A duration in milliseconds, the largest long for one too long to count in them. */
    private static long millisOf(Duration duration) {
        try {
            return duration.toMillis();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * A policy with the terminal decisions for success made in advance, and the limits every call
     * reads (its deadline, whether it keeps a circuit), read out of the policy once.
     */
    private static final class Compiled {
        final Policy policy;
        final long deadlineMillis;
        final boolean circuitBreaker;
        final Decision.Complete[] complete = new Decision.Complete[HttpStatus.MAX + 1];
        /** {@link #completion}'s answers: {@code complete[status]} where the rule completes at once, else null. */
        final Decision.Complete[] completion = new Decision.Complete[HttpStatus.MAX + 1];

        Compiled(Policy policy) {
            this.policy = policy;
            this.deadlineMillis = millisOf(policy.limits().deadline());
            this.circuitBreaker = policy.limits().circuitBreaker().enabled();
            for (int status = HttpStatus.MIN; status <= HttpStatus.MAX; status++) {
                complete[status] = new Decision.Complete(policy.rule(status), status);
                Handling handling = policy.rule(status).handling();
                if (handling == Handling.SUCCEED || handling == Handling.INFORMATIONAL) {
                    completion[status] = complete[status];
                }
            }
        }
    }
}
