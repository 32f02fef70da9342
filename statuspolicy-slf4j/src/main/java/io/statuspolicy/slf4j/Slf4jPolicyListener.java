package io.statuspolicy.slf4j;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.http.Redaction;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what the policy does, through SLF4J:
 *
 * <ul>
 *   <li>DEBUG: each attempt and each decision, with the rule it applied;</li>
 *   <li>INFO: one line when a call succeeded but needed retries or redirects;</li>
 *   <li>WARN: one line when a call gave up, and when a shared store (Redis) starts being skipped,
 *       at most once a minute per store; INFO when it answers again, as rarely.</li>
 * </ul>
 *
 * <p>It never prints a secret: it logs no header values at all, and every URI goes through
 * {@link Redaction#uri} (no userinfo, token-like query parameters masked). The default logger
 * is {@code io.statuspolicy}.
 */
public final class Slf4jPolicyListener implements PolicyListener {
    /** At most one line per store per this long about its outages. */
    static final long STORE_LOG_QUIET_MILLIS = 60_000;

    private final Logger log;
    private final java.util.concurrent.ConcurrentHashMap<String, Long> storeWarned = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Long> storeRecovered = new java.util.concurrent.ConcurrentHashMap<>();

    /** Logs to the {@code io.statuspolicy} logger. */
    public Slf4jPolicyListener() {
        this(LoggerFactory.getLogger("io.statuspolicy"));
    }

    /** Logs to {@code logger}. */
    public Slf4jPolicyListener(Logger logger) {
        this.log = Objects.requireNonNull(logger, "logger");
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        if (log.isDebugEnabled()) {
            log.debug("{} {}: request {}", event.method(), Redaction.uri(event.uri()), event.attempt());
        }
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        if (log.isDebugEnabled()) {
            log.debug("{} {}: {}", event.method(), Redaction.uri(event.uri()), event.decision().explain());
        }
    }

    @Override
    public void gaveUp(PolicyEvent.GaveUp event) {
        if (log.isWarnEnabled()) {
            log.warn("{} {} gave up after {} {}: {}", event.method(), Redaction.uri(event.uri()), event.requests(),
                    event.requests() == 1 ? "request" : "requests", event.decision().explain());
        }
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        Decision decision = event.decision();
        boolean eventful = event.retries() > 0 || event.redirects() > 0;
        if (eventful && !(decision instanceof Decision.Fail) && decision != null && log.isInfoEnabled()) {
            log.info("{} {} answered {} after {} requests ({} {}, {} {}) in {} ms", event.method(),
                    Redaction.uri(event.uri()), decision.status(), event.requests(), event.retries(),
                    event.retries() == 1 ? "retry" : "retries", event.redirects(),
                    event.redirects() == 1 ? "redirect" : "redirects", event.durationMillis());
        }
    }

    /**
     * A call that waits for a hold on its origin, or goes as the one probe after it, at INFO; a
     * refusal is logged when the call gives up; an origin that is not held logs nothing.
     */
    @Override
    public void hostChecked(PolicyEvent.HostChecked event) {
        if (event.check() instanceof io.statuspolicy.decision.HostCheck.Proceed) {
            return;
        }
        if (event.check() instanceof io.statuspolicy.decision.HostCheck.Refuse) {
            if (log.isDebugEnabled()) {
                log.debug("{} {}: {}", event.method(), Redaction.uri(event.uri()), event.check().explain());
            }
            return;
        }
        if (log.isInfoEnabled()) {
            log.info("{} {}: {}", event.method(), Redaction.uri(event.uri()), event.check().explain());
        }
    }

    /** An origin's circuit opening at WARN; half-opening and closing at INFO. */
    @Override
    public void circuitChanged(PolicyEvent.CircuitChanged event) {
        if (event.to() == io.statuspolicy.decision.CircuitState.OPEN) {
            if (log.isWarnEnabled()) {
                log.warn("circuit of {} {} -> {}: {}", event.origin(), event.from(), event.to(), event.explanation());
            }
        } else if (log.isInfoEnabled()) {
            log.info("circuit of {} {} -> {}: {}", event.origin(), event.from(), event.to(), event.explanation());
        }
    }

    /** A shared store skipped after a failure: one WARN, at most once a minute per store. */
    @Override
    public void storeDegraded(PolicyEvent.StoreDegraded event) {
        if (log.isWarnEnabled() && due(storeWarned, event.store(), event.atMillis())) {
            log.warn("{} failed ({}); skipped for {} ms, calls go on with this instance's own state", event.store(),
                    event.problem(), event.skipMillis());
        }
    }

    /** A shared store answers again: one INFO, at most once a minute per store. */
    @Override
    public void storeRecovered(PolicyEvent.StoreRecovered event) {
        if (log.isInfoEnabled() && due(storeRecovered, event.store(), event.atMillis())) {
            log.info("{} answers again after {} ms; sharing resumes", event.store(), event.degradedMillis());
        }
    }

    /** Whether a line about {@code store} may be logged at {@code now}; if so, the next waits a minute. */
    private static boolean due(java.util.concurrent.ConcurrentHashMap<String, Long> last, String store, long now) {
        boolean[] due = {false};
        last.compute(store, (key, at) -> {
            if (at == null || now - at >= STORE_LOG_QUIET_MILLIS) {
                due[0] = true;
                return now;
            }
            return at;
        });
        return due[0];
    }

    @Override
    public String toString() {
        return "Slf4jPolicyListener[" + log.getName() + "]";
    }
}
