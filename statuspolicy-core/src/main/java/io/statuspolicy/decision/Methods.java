package io.statuspolicy.decision;

/** Method properties from RFC 9110 §9.2. */
public final class Methods {
    private Methods() {
    }

    /** Safe methods (RFC 9110 §9.2.1): GET, HEAD, OPTIONS, TRACE. */
    public static boolean isSafe(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    /** Idempotent methods (RFC 9110 §9.2.2): the safe ones plus PUT and DELETE. */
    public static boolean isIdempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
            default -> false;
        };
    }
}
