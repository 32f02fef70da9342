package io.statuspolicy.cli;

import io.statuspolicy.http.Redaction;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * URIs as the command line prints them: the core's {@link Redaction#uri(URI)}, except that a
 * masked query value of at most three digits is shown ({@code ?code=200}, {@code ?key=2}): it
 * can carry no secret worth hiding, and masking it makes a status or page number unreadable.
 * Everything else the core masks stays masked.
 */
final class Shown {
    private static final Pattern HARMLESS = Pattern.compile("\\d{1,3}");
    private static final String MASKED = "=***";

    private Shown() {
    }

    static String uri(URI uri) {
        String shown = Redaction.uri(uri);
        if (uri == null || uri.getRawQuery() == null || !shown.contains(MASKED)) {
            return shown;
        }
        int question = shown.indexOf('?');
        int hash = shown.indexOf('#', question);
        int end = hash < 0 ? shown.length() : hash;
        String[] masked = shown.substring(question + 1, end).split("&", -1);
        String[] raw = uri.getRawQuery().split("&", -1);
        if (masked.length != raw.length) {
            return shown; // not the pair-for-pair masking expected: keep the core's text
        }
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < raw.length; i++) {
            int eq = raw[i].indexOf('=');
            boolean harmless = masked[i].endsWith(MASKED) && eq >= 0
                    && HARMLESS.matcher(raw[i].substring(eq + 1)).matches();
            query.append(i == 0 ? "" : "&").append(harmless ? raw[i] : masked[i]);
        }
        return shown.substring(0, question + 1) + query + shown.substring(end);
    }
}
