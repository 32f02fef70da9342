package io.statuspolicy.micrometer;

/** The names of the meters {@link MicrometerPolicyListener} records, and of their tags. */
public final class PolicyMeters {
    /** Timer: one per logical call, waits included. */
    public static final String CALLS = "statuspolicy.calls";
    /** Counter: one per request sent. */
    public static final String ATTEMPTS = "statuspolicy.attempts";
    /** Counter: one per decision. */
    public static final String DECISIONS = "statuspolicy.decisions";
    /** Timer: each wait before a next request. */
    public static final String WAITS = "statuspolicy.waits";
    /** Counter: conditional requests answered from the response store. */
    public static final String CACHE_REQUESTS = "statuspolicy.cache.requests";
    /** Counter: credential refreshes. */
    public static final String CREDENTIAL_REFRESHES = "statuspolicy.credentials.refreshes";
    /** Counter: attempts that met a hold on their origin (waited, probed, waited for the probe, refused). */
    public static final String HOST_CHECKS = "statuspolicy.host.checks";
    /** Counter: circuit breaker transitions. */
    public static final String CIRCUIT_TRANSITIONS = "statuspolicy.circuit.transitions";
    /** Gauge: each origin's circuit state, 0 closed, 1 half-open, 2 open. */
    public static final String CIRCUIT_STATE = "statuspolicy.circuit.state";

    /** Gauge: retries the budget allows now, per origin the client called (when a budget is watched). */
    public static final String BUDGET_AVAILABLE = "statuspolicy.budget.retries.available";

    /** Outages of a shared store (statuspolicy-redis): counted once when it starts being skipped. */
    public static final String STORE_ERRORS = "statuspolicy.store.errors";
    /** The tag naming a shared store, e.g. {@code redis 10.0.0.5:6379}. */
    public static final String STORE = "store";
    public static final String CLIENT_NAME = "client.name";
    public static final String SERVER_PORT = "server.port";
    public static final String METHOD = "http.request.method";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String STATUS_CODE = "http.response.status_code";
    public static final String ERROR_TYPE = "error.type";
    public static final String KIND = "kind";
    public static final String OUTCOME = "outcome";
    public static final String FAILURE_CATEGORY = "failure.category";
    public static final String RULE = "rule";
    public static final String ATTEMPT_TYPE = "attempt.type";
    public static final String DECISION = "decision";
    public static final String GRADE = "grade";
    public static final String REASON = "reason";
    public static final String BASIS = "basis";
    public static final String RESULT = "result";
    public static final String CHECK = "check";
    public static final String FROM = "from";
    public static final String TO = "to";

    /** The {@code server.address} of every host past the limit. */
    public static final String OTHER = "_other";

    private PolicyMeters() {
    }
}
