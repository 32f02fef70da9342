package io.statuspolicy.decision;

/** Whether a request carries validators ({@code If-None-Match}, {@code If-Modified-Since}), and whose. */
public enum Conditional {
    /** No validators: a 304 answer is a server error. */
    NONE,
    /** The caller set the validators: a 304 refers to the caller's own cache and is returned as is. */
    BY_CALLER,
    /** The executor's response cache added them: a 304 is answered with the stored copy. */
    BY_CACHE
}
