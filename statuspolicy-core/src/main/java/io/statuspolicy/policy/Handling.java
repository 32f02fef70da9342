package io.statuspolicy.policy;

/**
 * What a client does with a response of a given status: the "kind" column of the guideline.
 *
 * <p>A {@link Rule} pairs one handling with a {@link Grade}; the decision function turns the
 * pair, plus the request's facts and the attempt state, into a concrete decision.
 */
public enum Handling {
    /** 1xx: the HTTP stack deals with it; nothing for the caller to do. */
    INFORMATIONAL("handled by the HTTP stack"),
    /** 2xx: the call succeeded; return the response. */
    SUCCEED("return the response"),
    /** 301, 308: follow {@code Location} and use the new URI from now on. */
    REDIRECT_PERMANENT("follow the redirect and remember the new URI"),
    /** 302, 307: follow {@code Location} for this call only. */
    REDIRECT_TEMPORARY("follow the redirect for this call only"),
    /** 303: fetch the resource at {@code Location} with GET. */
    REDIRECT_SEE_OTHER("fetch the Location with GET"),
    /** 304: the stored copy is still valid; answer with it. */
    USE_CACHED_COPY("use the cached copy"),
    /** 401, 403: refresh the origin credentials and retry once. */
    REFRESH_CREDENTIALS("retry once with fresh credentials"),
    /** 407: refresh the proxy credentials and retry once. */
    REFRESH_PROXY_CREDENTIALS("retry once with fresh proxy credentials"),
    /** 408, 429, 500, 502, 503, 504 ...: retry with backoff, honouring Retry-After. */
    RETRY("retry"),
    /** 411: resend once with a Content-Length. */
    RESEND_WITH_CONTENT_LENGTH("resend once with a Content-Length"),
    /** 413: retry only when the response says when, with Retry-After. */
    RETRY_ONLY_AFTER_RETRY_AFTER("retry only after its Retry-After"),
    /** 404: fail, unless the caller expects the resource to appear soon. */
    AWAIT_RESOURCE("fail, or keep trying while the caller awaits the resource"),
    /** The request is wrong; never retried. */
    FAIL("fail without retrying"),
    /** A status the organisation does not use; treated as an error, never retried. */
    NOT_USED("fail: a status not used by us");

    private final String summary;

    Handling(String summary) {
        this.summary = summary;
    }

    /** A short English phrase for explanations and tables, e.g. "retry". */
    public String summary() {
        return summary;
    }

    /** Whether this handling follows a {@code Location}. */
    public boolean isRedirect() {
        return this == REDIRECT_PERMANENT || this == REDIRECT_TEMPORARY || this == REDIRECT_SEE_OTHER;
    }
}
