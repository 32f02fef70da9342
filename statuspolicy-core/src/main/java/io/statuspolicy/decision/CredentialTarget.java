package io.statuspolicy.decision;

/** Which credentials a refresh is for. */
public enum CredentialTarget {
    /** {@code Authorization}, for the origin server (401, 403). */
    ORIGIN,
    /** {@code Proxy-Authorization}, for the proxy (407). */
    PROXY
}
