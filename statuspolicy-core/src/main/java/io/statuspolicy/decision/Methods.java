package io.statuspolicy.decision;

/**
 * Method properties from RFC 9110 §9.2. Method names are case-sensitive (RFC 9110 §9.1): the
 * standard methods are upper case, and {@code get} or {@code Get} is an unknown method, neither
 * safe nor idempotent. Nothing here or in {@link RequestFacts} case-folds a method.
 */
public final class Methods {
    private Methods() {
    }

    /** Safe methods (RFC 9110 §9.2.1): GET, HEAD, OPTIONS, TRACE. */
    /**
     * Whether {@code method} is a valid method name: a non-empty token (RFC 9110 §9.1, §5.6.2),
     * which is what {@link RequestFacts} requires of it.
     */
    public static boolean isValid(String method) {
        // Identity first (checked on every call): the literals the clients' builders pass (the JDK's
        // GET(), OkHttp's get(), an enum's name) are one interned string; any other spelling of
        // them takes the switch, which compares by value.
        if (method == "GET" || method == "POST") {
            return true;
        }
        switch (method) { // the registered methods, checked on every call: no scan of their characters
            case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY":
                return true;
            default:
                return !method.isEmpty() && RequestFacts.isToken(method);
        }
    }

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
