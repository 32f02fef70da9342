package io.statuspolicy.cli;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;

/**
 * What one call did, heard from the executor: the final decision, the counts and the time
 * waited. The exit code and the failure line are made from it.
 */
final class CallRecord implements PolicyListener {
    private volatile PolicyEvent.CallFinished finished;
    private volatile Decision lastDecision;
    private volatile long waitedMillis;
    private volatile int finalStatus;

    @Override
    public void decisionMade(PolicyEvent.DecisionMade event) {
        lastDecision = event.decision();
    }

    @Override
    public synchronized void waiting(PolicyEvent.Waiting event) {
        waitedMillis += event.delayMillis();
    }

    @Override
    public void callFinished(PolicyEvent.CallFinished event) {
        finished = event;
    }

    /**
     * This record, once the call has returned or thrown: the executor reports the end of a call
     * to its listeners before it hands the caller the result, so nothing is missing by then.
     */
    CallRecord ended() {
        return this;
    }

    /** The decision that ended the call, or the last one taken when the call broke off. */
    Decision decision() {
        PolicyEvent.CallFinished end = finished;
        return end != null && end.decision() != null ? end.decision() : lastDecision;
    }

    PolicyEvent.CallFinished finished() {
        return finished;
    }

    /** The status of the response handed to the command, once it has one. */
    void finalStatus(int status) {
        finalStatus = status;
    }

    /** The final response's status, or 0 when the call ended without one. */
    int finalStatus() {
        return finalStatus;
    }

    long waitedMillis() {
        return waitedMillis;
    }

    /** "[4 requests, 3 retries, 0 redirects, waited 1.5 s, 1.6 s in all]". */
    String tried() {
        PolicyEvent.CallFinished end = finished;
        if (end == null) {
            return "";
        }
        return " [" + plural(end.requests(), "request") + ", " + plural(end.retries(), "retry", "retries") + ", "
                + plural(end.redirects(), "redirect") + ", waited " + duration(waitedMillis) + ", "
                + duration(end.durationMillis()) + " in all]";
    }

    private static String plural(int count, String one) {
        return plural(count, one, one + "s");
    }

    private static String plural(int count, String one, String many) {
        return count + " " + (count == 1 ? one : many);
    }

    /** "250 ms", "1.5 s". */
    static String duration(long millis) {
        return millis < 1000 ? millis + " ms"
                : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
