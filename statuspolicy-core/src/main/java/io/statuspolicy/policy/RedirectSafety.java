package io.statuspolicy.policy;

/**
 * Switches for redirect safety. Both are off by default, which is the safe reading of RFC 9110
 * §15.4 and §17.16.1; turning one on is a deliberate, visible choice in the policy.
 *
 * @param allowHttpsToHttp              follow a redirect from HTTPS to plain HTTP (credentials
 *                                      are still dropped on that hop)
 * @param followUnsafeMethodsAcrossOrigins follow a redirect of a POST, PUT, PATCH or DELETE (one
 *                                      that keeps its method) to another origin
 */
public record RedirectSafety(boolean allowHttpsToHttp, boolean followUnsafeMethodsAcrossOrigins) {

    /** Both off. */
    public static final RedirectSafety DEFAULT = new RedirectSafety(false, false);

    public RedirectSafety withAllowHttpsToHttp(boolean value) {
        return new RedirectSafety(value, followUnsafeMethodsAcrossOrigins);
    }

    public RedirectSafety withFollowUnsafeMethodsAcrossOrigins(boolean value) {
        return new RedirectSafety(allowHttpsToHttp, value);
    }
}
