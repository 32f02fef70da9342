package io.statuspolicy.micrometer;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.TransportFailure;
import java.util.Locale;
import java.util.Set;

/** Tag values from decisions: each one from a closed set, so no tag's cardinality grows with traffic. */
final class PolicyTagValues {
    static final String NONE = "none";
    /** OpenTelemetry's known methods; any other is {@code _OTHER} (semantic conventions, http.request.method). */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH", "QUERY");

    private PolicyTagValues() {
    }

    static String method(String method) {
        return method != null && METHODS.contains(method) ? method : "_OTHER";
    }

    static String lower(Enum<?> value) {
        return value == null ? NONE : value.name().toLowerCase(Locale.ROOT);
    }

    static String decision(Decision decision) {
        if (decision instanceof Decision.Complete) {
            return "complete";
        } else if (decision instanceof Decision.Retry) {
            return "retry";
        } else if (decision instanceof Decision.FollowRedirect) {
            return "follow_redirect";
        } else if (decision instanceof Decision.UseCachedCopy) {
            return "use_cached_copy";
        } else if (decision instanceof Decision.RefreshCredentials) {
            return "refresh_credentials";
        } else if (decision instanceof Decision.ResendWithContentLength) {
            return "resend_with_content_length";
        }
        return "fail";
    }

    /** The rule's key ({@code 503}, {@code 5xx}), or {@code transport} for a failure without a response. */
    static String rule(Decision decision) {
        return decision.status() == 0 ? "transport" : decision.rule().key();
    }

    static String grade(Decision decision) {
        return switch (decision.rule().grade()) {
            case SHALL_RETRY -> "shall";
            case MAY_RETRY -> "may";
            case MUST_NOT_RETRY -> "must_not";
            case NOT_APPLICABLE -> "n/a";
        };
    }

    /** The {@code FailureReason} of a fail, the {@code DelayBasis} of a retry, else {@code none}. */
    static String reason(Decision decision) {
        if (decision instanceof Decision.Fail fail) {
            return lower(fail.reason());
        } else if (decision instanceof Decision.Retry retry) {
            return lower(retry.basis());
        }
        return NONE;
    }

    static String status(Decision decision) {
        return decision.status() == 0 ? NONE : Integer.toString(decision.status());
    }

    /** The transport failure's kind in lower case, else {@code none}. */
    static String errorType(Decision decision) {
        TransportFailure failure = decision instanceof Decision.Retry retry ? retry.failure()
                : decision instanceof Decision.Fail fail ? fail.failure() : null;
        return failure == null ? NONE : lower(failure.kind());
    }

    static String basis(Decision decision) {
        if (decision instanceof Decision.Retry retry) {
            return lower(retry.basis());
        }
        return "retry_after"; // a redirect waits only when its Retry-After asks
    }

    /**
     * Resilience4j Retry's {@code kind}: successful or failed, with or without a retry. Redirects
     * are not retries; a call that ended without a decision (cancelled, interrupted) failed.
     */
    static String kind(Decision decision, int retries) {
        boolean successful = decision instanceof Decision.Complete || decision instanceof Decision.UseCachedCopy;
        return (successful ? "successful_" : "failed_") + (retries > 0 ? "with_retry" : "without_retry");
    }

    /** {@code complete}, {@code cached_copy}, {@code fail}, or {@code aborted} for a call ended without a decision. */
    static String outcome(Decision decision) {
        if (decision == null) {
            return "aborted";
        }
        return decision instanceof Decision.Complete ? "complete"
                : decision instanceof Decision.UseCachedCopy ? "cached_copy" : "fail";
    }

    static String failureCategory(Decision decision) {
        return decision instanceof Decision.Fail fail ? lower(fail.category()) : NONE;
    }
}
