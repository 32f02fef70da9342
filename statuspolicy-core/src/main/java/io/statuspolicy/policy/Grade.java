package io.statuspolicy.policy;

/**
 * The guideline's graded verb for repeating a request: <em>shall</em> retry ("ska"),
 * <em>may</em> retry ("kan"), <em>no retries shall be made</em> ("inga omförsök ska utföras").
 *
 * <p>The grade is part of the rule: it is shown in every explanation and table, and a policy
 * can change it like any other field. Statuses that are not about retrying (success,
 * redirects, 304) have {@link #NOT_APPLICABLE}.
 */
public enum Grade {
    /** "Omförsök ska utföras": the client retries. */
    SHALL_RETRY("shall"),
    /** "Omförsök kan utföras": the client may retry, under the rule's condition. */
    MAY_RETRY("may"),
    /** "Inga omförsök ska utföras": the client never repeats the request. */
    MUST_NOT_RETRY("must not"),
    /** The status is not about retrying. */
    NOT_APPLICABLE("n/a");

    private final String word;

    Grade(String word) {
        this.word = word;
    }

    /** The grade as one word for explanations: "shall", "may", "must not" or "n/a". */
    public String word() {
        return word;
    }
}
