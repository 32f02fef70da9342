package io.statuspolicy.cli;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.TransportFailure;
import java.net.URI;

/**
 * The failure line's words beyond the decision's own: what to do about it, in terms of this
 * command's options, and one rewrite where the JDK's wording misleads on a command line (a name
 * that did not resolve is reported without the name).
 */
final class FailureHints {

    /** How the request got its credentials, which decides what a refusal's fix is. */
    enum Credentials {
        NONE("none"), HEADER("-H Authorization"), USER("-u"), USERINFO("user:password@ in the URL"),
        COMMAND("--auth-command");

        final String option;

        Credentials(String option) {
            this.option = option;
        }
    }

    private FailureHints() {
    }

    /** The decision's explanation, with the host name added; {@code uri} is the request's. */
    static String explain(Decision.Fail fail, URI uri) {
        // The core's explanation already says why a TLS failure is not retried.
        return withHostName(fail.explain(), uri);
    }

    /** Names the host when the failure is one of resolution, which the JDK reports without it. */
    static String withHostName(String text, URI uri) {
        String host = uri == null ? null : uri.getHost();
        if (host == null) {
            return text;
        }
        return text.replace("UnresolvedAddressException", "cannot resolve the host name " + host)
                .replace("UnknownHostException", "cannot resolve the host name " + host);
    }

    /** "; fix: ..." for a failure, or "" when the fix is in the request itself (a 400, a 404). */
    static String fix(Decision.Fail fail, Credentials credentials, URI uri) {
        TransportFailure failure = fail.failure();
        if (failure != null && failure.kind() == TransportFailure.Kind.CONNECT_FAILED && failure.detail() != null
                && uri != null) {
            String detail = failure.detail();
            if (detail.contains("UnresolvedAddressException") || detail.contains("UnknownHostException")) {
                return "; fix: check the host name " + uri.getHost() + " (it does not resolve here)";
            }
            if (detail.contains("ConnectException")) {
                int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                return "; fix: check that a server listens at " + uri.getHost() + ":" + port
                        + " (or raise --max-attempts, or --retry, to wait for it)";
            }
        }
        String fix = switch (fail.reason()) {
            case CREDENTIALS_UNAVAILABLE -> fail.status() == 407
                    ? "proxy authentication is not supported: use a proxy that does not ask for it, or none (no_proxy)"
                    : credentials == Credentials.NONE
                    ? "supply credentials with -u USER:PASSWORD, -H 'Authorization: ...' (-H @FILE keeps it out of "
                            + "the process list) or --auth-command CMD (which can also refresh them)"
                    : "the credentials from " + credentials.option + " were refused and cannot be refreshed: check them"
                            + (fail.status() == 403 ? " (a 403 can also mean they lack the permission)" : "")
                            + ", or use --auth-command CMD to fetch fresh ones";
            case CREDENTIALS_REFUSED_AGAIN -> "check the credentials --auth-command prints: they were refused twice";
            case CREDENTIALS_NOT_RENEWED -> "make --auth-command print fresh credentials when run again";
            case CREDENTIALS_CANNOT_HELP -> "the server wants other credentials, not fresh ones (more scope, another "
                    + "account): change what -H Authorization, -u or --auth-command supplies";
            case CREDENTIALS_NOT_FOR_THIS_ORIGIN -> "call the redirect's target directly, with its own credentials";
            case NOT_IDEMPOTENT, TRANSPORT_NOT_REPEATABLE -> "give --idempotency-key KEY|auto if the server honours "
                    + "Idempotency-Key, or --retry-safe if it deduplicates the request by itself";
            case BODY_NOT_REPLAYABLE, REDIRECT_BODY_NOT_REPLAYABLE -> "give the body as -d @FILE, which can be sent "
                    + "again (-d @- is kept for resending only up to 8 MiB)";
            case NOT_AWAITED -> "if the resource is expected to appear, --await-resource SECONDS keeps trying";
            case ATTEMPTS_EXHAUSTED, TRANSPORT_RETRIES_EXHAUSTED -> "raise --max-attempts (or --retry), or "
                    + "--retry-delay to wait longer between attempts";
            case RULE_RETRIES_EXHAUSTED -> "the rule's own retry limit; change it with --policy FILE";
            case RETRY_BUDGET_EXHAUSTED -> "raise --max-attempts (the budget is raised with it)";
            case DEADLINE_EXCEEDED -> "raise --max-time (or --retry-max-time)";
            case RETRY_AFTER_BEYOND_CAP -> "the longest Retry-After honoured is the policy's limits.retryAfterCap: "
                    + "raise it with --policy FILE";
            case RETRY_AFTER_BEYOND_DEADLINE -> "raise --max-time above the Retry-After to wait for it";
            case AWAIT_WINDOW_CLOSED -> "raise --await-resource";
            case TOO_MANY_REDIRECTS -> "raise --max-redirs";
            case REDIRECT_TO_HTTP -> "if plain HTTP is really meant, call the http: URL directly";
            case REDIRECT_UNSAFE_ACROSS_ORIGINS -> "send the request to the Location's URL directly";
            case TRANSPORT_NOT_RETRIED -> fail.failure() != null && fail.failure().kind() == TransportFailure.Kind.TLS
                    ? "--cacert FILE trusts a private CA (-k skips the check, for test servers only)" : null;
            default -> null;
        };
        return fix == null ? "" : "; fix: " + fix;
    }

    /** The fix for an exception that ended the call without a failure decision, or "". */
    static String fix(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "; fix: raise --max-time (or --retry-max-time)";
            }
        }
        return "";
    }
}
