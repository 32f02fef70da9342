package io.statuspolicy.cli;

import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.io.PrintStream;

/**
 * {@code -v}: one line on standard error per decision, the decision's own explanation after
 * the redacted request, for example
 * {@code * GET http://api.test/r?token=***: 503 Service Unavailable: the guideline says retry (shall); attempt 2 of 4; waiting 612 ms of backoff}.
 * Header values are never printed; explanations carry no secrets (the core's contract).
 */
final class VerboseListener implements PolicyListener {
    private final PrintStream err;

    VerboseListener(PrintStream err) {
        this.err = err;
    }

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        err.println(line(event));
    }

    /** The line for one decision. */
    static String line(PolicyEvent.DecisionMade event) {
        return "* " + event.method() + " " + Shown.uri(event.uri()) + ": " + event.decision().explain();
    }
}
