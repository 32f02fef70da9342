package io.statuspolicy.slf4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

class Slf4jPolicyListenerTest {
    private static final URI SECRET_URI = URI.create("https://u:SECRET-U@a.test/p?access_token=SECRET-Q&x=1");

    private final RecordingLogger logger = new RecordingLogger();
    private final Slf4jPolicyListener listener = new Slf4jPolicyListener(logger);

    @Test
    void debugForEachDecisionInfoForAnEventfulSuccessWarnWhenGivingUp() {
        Policy policy = Policy.guideline();
        Decision retry = new Decision.Retry(policy.rule(503), 503, null, 1200, io.statuspolicy.decision.DelayBasis.BACKOFF,
                2, 4, null);
        Decision.Fail fail = new Decision.Fail(policy.rule(503), 503, FailureReason.ATTEMPTS_EXHAUSTED, "4 of 4 attempts",
                null);
        listener.attemptStarted(new PolicyEvent.AttemptStarted("GET", SECRET_URI, 1, 0));
        listener.decisionMade(new PolicyEvent.DecisionMade("GET", SECRET_URI, retry, 0));
        listener.callFinished(new PolicyEvent.CallFinished("GET", SECRET_URI, new Decision.Complete(policy.rule(200), 200),
                2, 1, 0, 1300, 1300));
        listener.gaveUp(new PolicyEvent.GaveUp("GET", SECRET_URI, fail, 4, 5000));

        assertThat(logger.lines).containsExactly(
                "DEBUG GET https://a.test/p?access_token=***&x=1: request 1",
                "DEBUG GET https://a.test/p?access_token=***&x=1: " + retry.explain(),
                "INFO GET https://a.test/p?access_token=***&x=1 answered 200 after 2 requests (1 retry, 0 redirects) in 1300 ms",
                "WARN GET https://a.test/p?access_token=***&x=1 gave up after 4 requests: " + fail.explain());
        assertThat(String.join("\n", logger.lines)).doesNotContain("SECRET");
    }

    @Test
    void aSharedStoreOutageLogsOneWarnAMinutePerStore() {
        String redis = "redis 10.0.0.5:6379";
        listener.storeDegraded(new PolicyEvent.StoreDegraded(redis, "no answer within the command timeout", 30_000, 1_000));
        listener.storeRecovered(new PolicyEvent.StoreRecovered(redis, 30_500, 31_500));
        listener.storeDegraded(new PolicyEvent.StoreDegraded(redis, "RedisConnectionException: refused", 30_000, 40_000));
        listener.storeRecovered(new PolicyEvent.StoreRecovered(redis, 30_000, 70_000));
        listener.storeDegraded(new PolicyEvent.StoreDegraded("redis other:6379", "refused", 30_000, 40_000));
        listener.storeDegraded(new PolicyEvent.StoreDegraded(redis, "refused", 30_000, 61_000));

        assertThat(logger.lines).containsExactly(
                "WARN redis 10.0.0.5:6379 failed (no answer within the command timeout); skipped for 30000 ms, "
                        + "calls go on with this instance's own state",
                "INFO redis 10.0.0.5:6379 answers again after 30500 ms; sharing resumes",
                "WARN redis other:6379 failed (refused); skipped for 30000 ms, calls go on with this instance's own state",
                "WARN redis 10.0.0.5:6379 failed (refused); skipped for 30000 ms, calls go on with this instance's own state");
    }

    @Test
    void aPlainSuccessLogsNothingAtInfo() {
        listener.callFinished(new PolicyEvent.CallFinished("GET", SECRET_URI,
                new Decision.Complete(Policy.guideline().rule(200), 200), 1, 0, 0, 5, 5));
        assertThat(logger.lines).isEmpty();
    }

    @Test
    void holdsAtInfoCircuitsOpeningAtWarnAndAnUnheldOriginSilent() {
        listener.hostChecked(new PolicyEvent.HostChecked("GET", SECRET_URI,
                new io.statuspolicy.decision.HostCheck.Proceed(), 0));
        io.statuspolicy.decision.HostCheck probe = new io.statuspolicy.decision.HostCheck.Probe(
                Policy.guideline().rule(503), 503);
        listener.hostChecked(new PolicyEvent.HostChecked("GET", SECRET_URI, probe, 0));
        listener.circuitChanged(new PolicyEvent.CircuitChanged("https://a.test:443",
                io.statuspolicy.decision.CircuitState.CLOSED, io.statuspolicy.decision.CircuitState.OPEN,
                "5 calls in a row failed", 0));
        listener.circuitChanged(new PolicyEvent.CircuitChanged("https://a.test:443",
                io.statuspolicy.decision.CircuitState.HALF_OPEN, io.statuspolicy.decision.CircuitState.CLOSED,
                "the probe succeeded", 0));

        assertThat(logger.lines).containsExactly(
                "INFO GET https://a.test/p?access_token=***&x=1: " + probe.explain(),
                "WARN circuit of https://a.test:443 CLOSED -> OPEN: 5 calls in a row failed",
                "INFO circuit of https://a.test:443 HALF_OPEN -> CLOSED: the probe succeeded");
        assertThat(String.join("\n", logger.lines)).doesNotContain("SECRET");
    }

    /** An SLF4J logger that keeps "LEVEL message" lines. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        final List<String> lines = new ArrayList<>();

        RecordingLogger() {
            this.name = "test";
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                Throwable throwable) {
            lines.add(level + " " + MessageFormatter.basicArrayFormat(messagePattern, arguments));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }
    }
}
