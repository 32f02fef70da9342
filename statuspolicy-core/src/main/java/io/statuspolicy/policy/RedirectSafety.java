package io.statuspolicy.policy;

import java.util.Objects;

/**
 * Switches for redirect safety. The defaults are the safe reading of RFC 9110 §15.4 and
 * §17.16.1 and of the usual server-side request forgery advice; loosening one is a deliberate,
 * visible choice in the policy.
 *
 * @param allowHttpsToHttp              follow a redirect from HTTPS to plain HTTP (credentials
 *                                      are still dropped on that hop); off by default
 * @param followUnsafeMethodsAcrossOrigins follow a redirect of a POST, PUT, PATCH or DELETE (one
 *                                      that keeps its method) to another origin; off by default
 * @param targetFilter                  which targets are refused by where they point; by default
 *                                      {@link RedirectTargetFilter#NO_PUBLIC_TO_INTERNAL}
 */
public record RedirectSafety(boolean allowHttpsToHttp, boolean followUnsafeMethodsAcrossOrigins,
        RedirectTargetFilter targetFilter) {

    /** Both switches off; no redirect from a public address to an internal one. */
    public static final RedirectSafety DEFAULT =
            new RedirectSafety(false, false, RedirectTargetFilter.NO_PUBLIC_TO_INTERNAL);

    /** Checks that the target filter is present. */
    public RedirectSafety {
        Objects.requireNonNull(targetFilter, "targetFilter");
    }

    /** The two switches with the default target filter, {@link RedirectTargetFilter#NO_PUBLIC_TO_INTERNAL}. */
    public RedirectSafety(boolean allowHttpsToHttp, boolean followUnsafeMethodsAcrossOrigins) {
        this(allowHttpsToHttp, followUnsafeMethodsAcrossOrigins, RedirectTargetFilter.NO_PUBLIC_TO_INTERNAL);
    }

    public RedirectSafety withAllowHttpsToHttp(boolean value) {
        return new RedirectSafety(value, followUnsafeMethodsAcrossOrigins, targetFilter);
    }

    public RedirectSafety withFollowUnsafeMethodsAcrossOrigins(boolean value) {
        return new RedirectSafety(allowHttpsToHttp, value, targetFilter);
    }

    public RedirectSafety withTargetFilter(RedirectTargetFilter value) {
        return new RedirectSafety(allowHttpsToHttp, followUnsafeMethodsAcrossOrigins, value);
    }
}
