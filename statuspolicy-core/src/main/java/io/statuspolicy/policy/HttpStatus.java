package io.statuspolicy.policy;

/**
 * Reason phrases of the statuses in the IANA HTTP Status Code Registry, and the status-class
 * arithmetic the rest of the code needs. Pure lookups, no allocation.
 */
public final class HttpStatus {
    /** The lowest status a response can carry (RFC 9110 §15: three digits, 100 to 599). */
    public static final int MIN = 100;
    /** The highest status a response can carry. */
    public static final int MAX = 599;

    private static final String[] PHRASES = new String[MAX + 1];

    static {
        put(100, "Continue");
        put(101, "Switching Protocols");
        put(102, "Processing");
        put(103, "Early Hints");
        put(200, "OK");
        put(201, "Created");
        put(202, "Accepted");
        put(203, "Non-Authoritative Information");
        put(204, "No Content");
        put(205, "Reset Content");
        put(206, "Partial Content");
        put(207, "Multi-Status");
        put(208, "Already Reported");
        put(226, "IM Used");
        put(300, "Multiple Choices");
        put(301, "Moved Permanently");
        put(302, "Found");
        put(303, "See Other");
        put(304, "Not Modified");
        put(305, "Use Proxy");
        put(306, "(Unused)");
        put(307, "Temporary Redirect");
        put(308, "Permanent Redirect");
        put(400, "Bad Request");
        put(401, "Unauthorized");
        put(402, "Payment Required");
        put(403, "Forbidden");
        put(404, "Not Found");
        put(405, "Method Not Allowed");
        put(406, "Not Acceptable");
        put(407, "Proxy Authentication Required");
        put(408, "Request Timeout");
        put(409, "Conflict");
        put(410, "Gone");
        put(411, "Length Required");
        put(412, "Precondition Failed");
        put(413, "Content Too Large");
        put(414, "URI Too Long");
        put(415, "Unsupported Media Type");
        put(416, "Range Not Satisfiable");
        put(417, "Expectation Failed");
        put(418, "(Unused)");
        put(421, "Misdirected Request");
        put(422, "Unprocessable Content");
        put(423, "Locked");
        put(424, "Failed Dependency");
        put(425, "Too Early");
        put(426, "Upgrade Required");
        put(428, "Precondition Required");
        put(429, "Too Many Requests");
        put(431, "Request Header Fields Too Large");
        put(451, "Unavailable For Legal Reasons");
        put(500, "Internal Server Error");
        put(501, "Not Implemented");
        put(502, "Bad Gateway");
        put(503, "Service Unavailable");
        put(504, "Gateway Timeout");
        put(505, "HTTP Version Not Supported");
        put(506, "Variant Also Negotiates");
        put(507, "Insufficient Storage");
        put(508, "Loop Detected");
        put(510, "Not Extended (OBSOLETED)");
        put(511, "Network Authentication Required");
    }

    private HttpStatus() {
    }

    private static void put(int status, String phrase) {
        PHRASES[status] = phrase;
    }

    /** Whether {@code status} is a three-digit status a response can carry (100 to 599). */
    public static boolean isValid(int status) {
        return status >= MIN && status <= MAX;
    }

    /** Whether the status is in the IANA registry. */
    public static boolean isRegistered(int status) {
        return isValid(status) && PHRASES[status] != null;
    }

    /** The registered reason phrase, or {@code null} for an unregistered status. */
    public static String reasonPhrase(int status) {
        return isValid(status) ? PHRASES[status] : null;
    }

    /** The class digit of a valid status: 1 to 5. */
    public static int statusClass(int status) {
        return status / 100;
    }

    /** The class's name from RFC 9110 §15: "Informational", "Successful", ... "Server Error". */
    public static String className(int status) {
        return switch (statusClass(status)) {
            case 1 -> "Informational";
            case 2 -> "Successful";
            case 3 -> "Redirection";
            case 4 -> "Client Error";
            case 5 -> "Server Error";
            default -> throw new IllegalArgumentException("an HTTP status is 100 to 599, was " + status);
        };
    }

    /** "503 Service Unavailable", or "499" for an unregistered status. */
    public static String describe(int status) {
        String phrase = reasonPhrase(status);
        return phrase == null ? Integer.toString(status) : status + " " + phrase;
    }
}
