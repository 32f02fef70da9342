package io.statuspolicy.cli;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Writes {@code --trace FILE}: one JSON object per line for each attempt, each decision and the
 * end of the call. URIs are redacted and no header value is written, so a trace can be shared.
 *
 * <pre>
 * {"event":"attempt","at":"2026-...Z","method":"GET","uri":"http://h/r?access_token=***","attempt":1}
 * {"event":"decision","at":"...","method":"GET","uri":"...","status":503,"decision":"retry","final":false,
 *  "rule":"503","handling":"RETRY","explain":"503 Service Unavailable: ...","delayMillis":512,"attempt":2,"maxAttempts":4}
 * </pre>
 */
final class TraceListener implements PolicyListener {
    private final BufferedWriter out;

    TraceListener(BufferedWriter out) {
        this.out = out;
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        write(Json.object().field("event", "attempt").field("at", Instant.ofEpochMilli(event.atMillis()).toString())
                .field("method", event.method()).field("uri", Shown.uri(event.uri()))
                .field("attempt", event.attempt()).end());
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        write(decision(Json.object().field("event", "decision")
                .field("at", Instant.ofEpochMilli(event.atMillis()).toString())
                .field("method", event.method()).field("uri", Shown.uri(event.uri())), event.decision()).end());
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        Json line = Json.object().field("event", "finished").field("at", Instant.ofEpochMilli(event.atMillis()).toString())
                .field("method", event.method()).field("uri", Shown.uri(event.uri()))
                .field("requests", event.requests()).field("retries", event.retries())
                .field("redirects", event.redirects()).field("durationMillis", event.durationMillis());
        if (event.decision() != null) {
            line.field("decision", kind(event.decision())).field("status", event.decision().status());
        }
        write(line.end());
    }

    /** The decision's fields, common to every kind, then the kind's own. */
    static Json decision(Json json, Decision decision) {
        json.field("status", decision.status()).field("decision", kind(decision)).field("final", decision.isFinal())
                .field("rule", decision.rule().key()).field("handling", decision.rule().handling().name())
                .field("grade", decision.rule().grade().name()).field("explain", decision.explain());
        if (decision instanceof Decision.Retry retry) {
            json.field("delayMillis", retry.delayMillis()).field("basis", retry.basis().name())
                    .field("attempt", retry.attempt()).field("maxAttempts", retry.maxAttempts());
        } else if (decision instanceof Decision.FollowRedirect follow) {
            json.field("target", Shown.uri(follow.target())).field("nextMethod", follow.method())
                    .field("permanent", follow.permanent()).field("dropCredentials", follow.dropCredentials())
                    .field("delayMillis", follow.delayMillis());
        } else if (decision instanceof Decision.Fail fail) {
            json.field("reason", fail.reason().name()).field("category", fail.category().name())
                    .field("exitCode", fail.category().exitCode());
        }
        return json;
    }

    /** "retry", "follow-redirect", "fail", ... */
    static String kind(Decision decision) {
        if (decision instanceof Decision.Complete) {
            return "complete";
        } else if (decision instanceof Decision.FollowRedirect) {
            return "follow-redirect";
        } else if (decision instanceof Decision.UseCachedCopy) {
            return "use-cached-copy";
        } else if (decision instanceof Decision.Retry) {
            return "retry";
        } else if (decision instanceof Decision.RefreshCredentials) {
            return "refresh-credentials";
        } else if (decision instanceof Decision.ResendWithContentLength) {
            return "resend-with-content-length";
        }
        return "fail";
    }

    private synchronized void write(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush(); // a trace must survive a crash or a kill
        } catch (IOException e) {
            throw new UncheckedIOException(e); // dropped by the executor's guard; the call goes on
        }
    }
}
