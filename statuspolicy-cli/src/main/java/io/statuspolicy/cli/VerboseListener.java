package io.statuspolicy.cli;

import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.io.PrintStream;

/**
 * {@code -v}: on standard error, a {@code >} line per request sent and a {@code <} line per
 * response, each with the names of its header fields (never their values), and one line per
 * decision, the decision's own explanation after the redacted request, for example
 * {@code * GET http://api.test/r?token=***: 503 Service Unavailable: the guideline says retry (shall); attempt 2 of 4; waiting 612 ms of backoff}.
 * Header values are never printed; explanations carry no secrets (the core's contract).
 */
final class VerboseListener implements PolicyListener {
    private final PrintStream err;

    VerboseListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public void attemptStarted(PolicyEvent.AttemptStarted event) {
        err.println("> " + event.method() + " " + Shown.uri(event.uri()) + " (request " + event.attempt() + ")"
                + names(event.headerNames()));
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        if (!event.responseHeaderNames().isEmpty()) {
            err.println("< " + event.decision().status() + names(event.responseHeaderNames()));
        }
        err.println(line(event));
    }

    /** The header field names, never their values. */
    private static String names(java.util.List<String> names) {
        return names.isEmpty() ? "" : "; header fields: " + String.join(", ", names);
    }

    /** The line for one decision. */
    static String line(PolicyEvent.DecisionMade event) {
        return "* " + event.method() + " " + Shown.uri(event.uri()) + ": " + event.decision().explain();
    }
}
