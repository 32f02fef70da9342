package io.statuspolicy.testing.conformance;

import io.statuspolicy.decision.FailureCategory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a call ended with: a response (status, headers, body), or a failure. Adapters map their
 * client's response and exceptions onto it.
 *
 * @param status   the final response's status, or 0 when the call failed without one
 * @param headers  its header fields, names in lower case
 * @param body     its body
 * @param failure  the exception the call ended with, or null
 * @param category the policy's failure category when the failure is a policy failure, or null
 * @param interruptFlagSet for a synchronous call: whether the calling thread's interrupt flag
 *                 was set when the call returned
 */
public record Outcome(int status, Map<String, List<String>> headers, byte[] body, Throwable failure,
        FailureCategory category, boolean interruptFlagSet) {

    public static Outcome response(int status, Map<String, List<String>> headers, byte[] body) {
        return new Outcome(status, headers, body, null, null, false);
    }

    public static Outcome failure(Throwable failure, FailureCategory category, int lastStatus, boolean interrupted) {
        return new Outcome(lastStatus, Map.of(), new byte[0], failure, category, interrupted);
    }

    public boolean failed() {
        return failure != null;
    }

    public String bodyUtf8() {
        return body == null ? "" : new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return failed() ? "Outcome[failed " + category + ": " + failure + "]"
                : "Outcome[" + status + ", " + (body == null ? 0 : body.length) + " bytes]";
    }
}
