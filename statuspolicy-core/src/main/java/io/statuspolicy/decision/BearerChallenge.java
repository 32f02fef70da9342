package io.statuspolicy.decision;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code error} parameter of a Bearer challenge (RFC 6750 §3) in {@code WWW-Authenticate}.
 * Only what matters to a refresh: {@code invalid_token} (or no error at all) means a fresh token may
 * help; {@code insufficient_scope} and {@code invalid_request} mean it would be refused the same way.
 */
final class BearerChallenge {
    /** A Bearer challenge's start: the scheme at the field's start or after a comma (RFC 9110 §11.6.1). */
    private static final Pattern BEARER = Pattern.compile("(?:^|,)\\s*bearer(?:\\s|$)", Pattern.CASE_INSENSITIVE);
    /** The error parameter, quoted or as a token. */
    private static final Pattern ERROR = Pattern.compile("(?:^|[\\s,])error\\s*=\\s*(?:\"([^\"]*)\"|([^\\s,]+))",
            Pattern.CASE_INSENSITIVE);

    private BearerChallenge() {
    }

    /**
     * The Bearer error that a fresh token cannot fix, or null (no Bearer challenge, no error, or
     * {@code invalid_token}).
     */
    static String errorThatRefreshCannotFix(List<String> challenges) {
        for (String field : challenges) {
            Matcher bearer = BEARER.matcher(field);
            if (!bearer.find()) {
                continue;
            }
            // The parameters after the Bearer scheme, up to the next scheme (a token followed by a space and no '=').
            String rest = field.substring(bearer.end());
            Matcher error = ERROR.matcher(rest);
            if (error.find()) {
                String value = (error.group(1) != null ? error.group(1) : error.group(2)).trim().toLowerCase(Locale.ROOT);
                if (value.equals("insufficient_scope") || value.equals("invalid_request")) {
                    return value;
                }
            }
        }
        return null;
    }
}
