package io.statuspolicy.cli;

import java.util.List;
import java.util.Map;

/**
 * curl options that {@code request} deliberately does not offer, each with what to use
 * instead, so that a script being ported learns the equivalent rather than "unknown option".
 */
final class CurlOptions {
    private static final Map<String, String> NOT_OFFERED = Map.ofEntries(
            Map.entry("--retry-connrefused", "not needed: a refused connection is retried by the transport rule"),
            Map.entry("--retry-all-errors", "the guideline decides what is retried; change it with --policy FILE"),
            Map.entry("--fail-with-body", "without -f the body of an error response is printed; the exit code "
                    + "says what happened"),
            Map.entry("--fail-early", "one URL per run: the exit code is the call's"),
            Map.entry("-b", "use -H 'Cookie: name=value' (or -H @FILE to keep it out of the process list)"),
            Map.entry("--cookie", "use -H 'Cookie: name=value' (or -H @FILE to keep it out of the process list)"),
            Map.entry("-c", "no cookie jar is kept; -i shows Set-Cookie (masked)"),
            Map.entry("--cookie-jar", "no cookie jar is kept; -i shows Set-Cookie (masked)"),
            Map.entry("-x", "set http_proxy or https_proxy in the environment"),
            Map.entry("--proxy", "set http_proxy or https_proxy in the environment"),
            Map.entry("-U", "proxy authentication is not supported"),
            Map.entry("--proxy-user", "proxy authentication is not supported"),
            Map.entry("-O", "use -o FILE"),
            Map.entry("--remote-name", "use -o FILE"),
            Map.entry("-z", "use -H 'If-None-Match: ...' or -H 'If-Modified-Since: ...', or --state-dir DIR"),
            Map.entry("--time-cond", "use -H 'If-None-Match: ...' or -H 'If-Modified-Since: ...', or --state-dir DIR"),
            Map.entry("-F", "use -d @FILE with -H 'Content-Type: multipart/form-data; boundary=...'"),
            Map.entry("--form", "use -d @FILE with -H 'Content-Type: multipart/form-data; boundary=...'"),
            Map.entry("--json", "use -d DATA -H 'Content-Type: application/json' -H 'Accept: application/json'"),
            Map.entry("--data-urlencode", "encode the value yourself and give it with -d"),
            Map.entry("--data-raw", "use -d (only -d @FILE and -d @- read a file)"),
            Map.entry("-G", "put the query in the URL"),
            Map.entry("--get", "put the query in the URL"),
            Map.entry("-e", "use -H 'Referer: URL'"),
            Map.entry("--referer", "use -H 'Referer: URL'"),
            Map.entry("-n", "use -u USER:PASSWORD, -H @FILE or --auth-command CMD"),
            Map.entry("--netrc", "use -u USER:PASSWORD, -H @FILE or --auth-command CMD"),
            Map.entry("-C", "not supported: -o FILE is replaced only by a complete body"),
            Map.entry("--continue-at", "not supported: -o FILE is replaced only by a complete body"),
            Map.entry("-r", "use -H 'Range: bytes=...'"),
            Map.entry("--range", "use -H 'Range: bytes=...'"),
            Map.entry("-T", "use -X PUT -d @FILE"),
            Map.entry("--upload-file", "use -X PUT -d @FILE"),
            Map.entry("-D", "use -i: the status line and headers go to standard output before the body"),
            Map.entry("--dump-header", "use -i: the status line and headers go to standard output before the body"),
            Map.entry("--compressed", "not supported: the JDK client does not decode Content-Encoding"),
            Map.entry("-#", "on a terminal a wait shows a countdown by itself; -s turns it off"),
            Map.entry("--progress-bar", "on a terminal a wait shows a countdown by itself; -s turns it off"),
            Map.entry("-E", "client certificates are not supported"),
            Map.entry("--cert", "client certificates are not supported"),
            Map.entry("--resolve", "not supported: name the address in the URL and give -H 'Host: ...'"),
            Map.entry("--http2", "https negotiates HTTP/2 by itself; plain http uses HTTP/1.1"),
            Map.entry("--http1.1", "plain http uses HTTP/1.1; https negotiates HTTP/2 when the server offers it"),
            Map.entry("--url", "give the URL as the argument"),
            Map.entry("--trace-ascii", "use -v for the decisions or --trace FILE for JSON lines"),
            Map.entry("--limit-rate", "not supported"),
            Map.entry("-K", "not supported: give the options on the command line"),
            Map.entry("--config", "not supported: give the options on the command line"));

    private CurlOptions() {
    }

    /**
     * The message for arguments picocli did not match: the first thing that looks like an option
     * (the arguments after it, such as its value and the URL, are not reported as unknown too).
     * Null when none of them looks like an option.
     */
    static String unmatched(List<String> arguments) {
        for (String argument : arguments) {
            if (argument.length() > 1 && argument.startsWith("-")) {
                String name = argument.startsWith("--") && argument.contains("=")
                        ? argument.substring(0, argument.indexOf('=')) : argument;
                String instead = NOT_OFFERED.get(name);
                return instead != null ? "curl's " + name + " is not offered: " + instead
                        : "unknown option '" + name + "'";
            }
        }
        return null;
    }
}
