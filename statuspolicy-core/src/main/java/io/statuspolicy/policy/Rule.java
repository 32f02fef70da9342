package io.statuspolicy.policy;

import java.util.Objects;

/**
 * One row of the policy: how a status (or every status of a class without a row of its own) is
 * handled, with the guideline's grade, where the rule comes from and what it means in words.
 *
 * <p>Immutable. "Changing" a rule returns a copy ({@code with...}); put the copy in a policy with
 * {@link Policy#withRule(Rule)}.
 *
 * @param status              the status (100 to 599); for a class rule the class's x00 (for
 *                            example 400 for 4xx)
 * @param wholeClass          {@code true} for the rule that covers the statuses of the class that
 *                            have no row of their own (RFC 9110 §15: an unrecognised status is
 *                            handled like the x00 of its class)
 * @param handling            what the client does
 * @param grade               the guideline's verb for retrying
 * @param provenance          where the rule comes from
 * @param reference           the guideline row or RFC section, e.g. "RFC 9110 §15.4.9"
 * @param description         one line in English
 * @param descriptionSv       one line in Swedish, or {@code null}
 * @param requestNotProcessed the status itself shows the server did not act on the request
 *                            (RFC 9110 §9.2.2), so even a POST may be repeated
 * @param maxRetries          the most retries this rule allows in one call, or
 *                            {@link #POLICY_LIMIT} to use the policy's attempt limit
 */
public record Rule(
        int status,
        boolean wholeClass,
        Handling handling,
        Grade grade,
        Provenance provenance,
        String reference,
        String description,
        String descriptionSv,
        boolean requestNotProcessed,
        int maxRetries) {

    /** {@link #maxRetries()} value meaning "as many as the policy's attempt limit allows". */
    public static final int POLICY_LIMIT = -1;

    /** Validates every field; a bad rule fails here with a message that names the field. */
    public Rule {
        if (!HttpStatus.isValid(status)) {
            throw new IllegalArgumentException("rule status must be 100 to 599, was " + status);
        }
        if (wholeClass && status % 100 != 0) {
            throw new IllegalArgumentException("a class rule is keyed by its x00 status, was " + status);
        }
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(grade, "grade");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(reference, "reference");
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("rule for " + status + " needs an English description");
        }
        if (maxRetries < POLICY_LIMIT) {
            throw new IllegalArgumentException("maxRetries must be >= 0 or POLICY_LIMIT, was " + maxRetries);
        }
    }

    /** A rule of the user's own, with the usual defaults for the other fields. */
    public static Rule of(int status, Handling handling, Grade grade, String description) {
        return new Rule(status, false, handling, grade, Provenance.USER, "local policy", description, null,
                false, POLICY_LIMIT);
    }

    /** "503", or "5xx" for a class rule. */
    public String key() {
        return wholeClass ? (status / 100) + "xx" : Integer.toString(status);
    }

    /** "503 Service Unavailable", or "5xx Server Error" for a class rule. */
    public String title() {
        return wholeClass ? key() + " " + HttpStatus.className(status) : HttpStatus.describe(status);
    }

    /** Whether this rule can lead to a retry of the same request. */
    public boolean mayRepeat() {
        return switch (handling) {
            case RETRY, RETRY_ONLY_AFTER_RETRY_AFTER, AWAIT_RESOURCE, REFRESH_CREDENTIALS,
                    REFRESH_PROXY_CREDENTIALS, RESEND_WITH_CONTENT_LENGTH -> true;
            default -> false;
        };
    }

    /** "the guideline says retry (shall)": who says what, for explanations. */
    public String says() {
        StringBuilder text = new StringBuilder(64).append(provenance.phrase());
        if (provenance == Provenance.RFC) {
            text.setLength(0);
            text.append(reference);
        }
        text.append(" says ").append(handling.summary());
        if (grade != Grade.NOT_APPLICABLE) {
            text.append(" (").append(grade.word()).append(')');
        }
        return text.toString();
    }

    public Rule withHandling(Handling newHandling) {
        return new Rule(status, wholeClass, newHandling, grade, Provenance.USER, reference, description,
                descriptionSv, requestNotProcessed, maxRetries);
    }

    public Rule withGrade(Grade newGrade) {
        return new Rule(status, wholeClass, handling, newGrade, Provenance.USER, reference, description,
                descriptionSv, requestNotProcessed, maxRetries);
    }

    public Rule withDescription(String english, String swedish) {
        return new Rule(status, wholeClass, handling, grade, Provenance.USER, reference, english, swedish,
                requestNotProcessed, maxRetries);
    }

    public Rule withMaxRetries(int retries) {
        return new Rule(status, wholeClass, handling, grade, Provenance.USER, reference, description,
                descriptionSv, requestNotProcessed, retries);
    }

    public Rule withRequestNotProcessed(boolean notProcessed) {
        return new Rule(status, wholeClass, handling, grade, Provenance.USER, reference, description,
                descriptionSv, notProcessed, maxRetries);
    }

    /** The same rule keyed to another status (used to apply a class-wide override to every row). */
    public Rule forStatus(int newStatus, boolean newWholeClass) {
        return new Rule(newStatus, newWholeClass, handling, grade, provenance, reference, description,
                descriptionSv, requestNotProcessed, maxRetries);
    }
}
