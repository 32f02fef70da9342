package io.statuspolicy.decision;

import io.statuspolicy.policy.HttpStatus;
import io.statuspolicy.policy.Provenance;
import io.statuspolicy.policy.Rule;
import java.util.Locale;

/** Shared wording for explanations: not part of the API (package-private). */
final class DecisionText {
    private DecisionText() {
    }

    static String subject(Rule rule, int status, TransportFailure failure) {
        if (status == 0) {
            return "no response (" + (failure == null ? "transport failure" : failure.describe()) + ")";
        }
        // The guideline's own 1xx and 2xx rows cover a whole class: nothing to point out there.
        if (rule.wholeClass() && rule.provenance() != Provenance.GUIDELINE) {
            String phrase = HttpStatus.reasonPhrase(status);
            return (phrase == null ? status + " (unlisted" : status + " " + phrase + " (no row of its own")
                    + ", handled as " + rule.key() + ")";
        }
        return HttpStatus.describe(status);
    }

    /** "250 ms", "1.2 s", "3 min 5 s". */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            double seconds = millis / 1000.0;
            return (millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f",
                    seconds)) + " s";
        }
        long seconds = millis / 1000;
        if (seconds >= 3600) {
            long minutes = seconds / 60;
            return minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
        }
        return seconds / 60 + " min" + (seconds % 60 == 0 ? "" : " " + seconds % 60 + " s");
    }
}
