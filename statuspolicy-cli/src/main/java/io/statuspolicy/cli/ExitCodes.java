package io.statuspolicy.cli;

import io.statuspolicy.config.PolicyFileException;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.engine.PolicyException;
import java.net.http.HttpTimeoutException;
import picocli.CommandLine;

/**
 * The exit codes of the command line, a contract for scripts. Codes 3 to 7 are the core's
 * {@link FailureCategory#exitCode()}; this class adds success, usage and the local failures.
 */
public final class ExitCodes {
    /** The final response is 2xx, a 304 answered from the local cache, or a 304 to the caller's own validators. */
    public static final int OK = 0;
    /** Something went wrong on this machine (for example the disk filled while writing {@code -o}). */
    public static final int LOCAL_ERROR = 1;
    /** Bad usage or a bad policy file: nothing was sent. */
    public static final int USAGE = 2;

    /** The table shown at the end of every {@code --help}. */
    static final String HELP_TABLE = """
              0  the final response is 2xx, or a 304 answered from the local cache, or a
                 304 to your own If-None-Match (your copy is current; -o FILE is kept)
              1  a local failure (an output file that cannot be written, ...)
              2  bad usage or a bad policy file (nothing is sent)
              3  the final response is an error that is not retried (no-retry rows, rows
                 not used, 404 without --await-resource, a POST the rules will not repeat)
              4  retries exhausted, the retry budget refused, the deadline (--max-time)
                 reached, a Retry-After longer than the time left, or an awaited 404
                 still missing when its window closed
              5  a transport failure (refused, reset, timed out, TLS) not recovered
              6  a redirect refused: missing or bad Location, a loop, too many, HTTPS to HTTP
              7  credentials missing, or refused again after a refresh (401, 403, 407)""";

    private ExitCodes() {
    }

    /** The code for a call that ended with {@code decision} and no exception. */
    static int of(Decision decision, int status) {
        if (decision instanceof Decision.Fail fail) {
            return fail.category().exitCode();
        }
        if (decision instanceof Decision.UseCachedCopy) {
            return OK;
        }
        // Complete: 2xx, or a 304 to the caller's own validators (-H If-None-Match), which is
        // the answer asked for; anything else completed (1xx) is not a success.
        return status / 100 == 2 || status == 304 ? OK : FailureCategory.NOT_RETRIED.exitCode();
    }

    /** The code for an exception that ended a command. */
    static int of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LocalException) {
                return LOCAL_ERROR;
            }
        }
        if (error instanceof UsageException || error instanceof PolicyFileException
                || error instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (error instanceof RequestCommand.CredentialsMissing) {
            return FailureCategory.CREDENTIALS.exitCode();
        }
        if (error instanceof PolicyException policy) {
            return policy.category().exitCode();
        }
        if (error instanceof LocalException) {
            return LOCAL_ERROR;
        }
        if (error instanceof HttpTimeoutException) {
            return FailureCategory.EXHAUSTED.exitCode(); // the deadline passed while reading the body
        }
        if (error instanceof java.io.IOException) {
            return FailureCategory.TRANSPORT.exitCode();
        }
        return LOCAL_ERROR;
    }

    /** One line for an exception that ended a command: its message, never a stack trace. */
    static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    /** Bad usage found while running a command (after picocli's own parsing): exit 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }

        UsageException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A failure on this machine, not on the network: exit 1. */
    static final class LocalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LocalException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
