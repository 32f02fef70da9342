package io.statuspolicy.http;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Makes URIs and header values safe to print in logs, events and exception messages, so that
 * credentials never leave the process through diagnostics (RFC 9110 §17.1, §17.9).
 *
 * <p>What is hidden:
 * <ul>
 *   <li>userinfo of a URI is dropped entirely (RFC 9110 §4.2.4 deprecates it; it is often a
 *       password);</li>
 *   <li>values of token-like query parameters become {@code ***}; the same masking is applied to
 *       a fragment written as {@code name=value&...}, because OAuth implicit flows put an
 *       {@code access_token} there;</li>
 *   <li>values of credential-bearing header fields become {@code ***}.</li>
 * </ul>
 * Parameter names are compared case-insensitively after percent-decoding. Everything else is
 * kept verbatim, so the output still identifies the resource.
 *
 * <p>Stateless and thread-safe.
 */
public final class Redaction {

    /** What a hidden value is replaced with. */
    static final String MASK = "***";

    private static final Set<String> SENSITIVE_PARAMETERS = Set.of(
            "access_token", "token", "id_token", "refresh_token", "code", "password", "passwd",
            "secret", "client_secret", "api_key", "apikey", "key", "sig", "signature",
            "x-amz-signature", "x-amz-credential", "x-amz-security-token", "auth");

    private static final Set<String> SENSITIVE_HEADERS = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "www-authenticate",
            "proxy-authenticate", "x-api-key", "x-auth-token");

    /** Substrings that mark a header name as sensitive, beyond the well-known names. */
    private static final String[] SENSITIVE_HEADER_PARTS = {
        "token", "secret", "api-key", "api_key", "apikey", "password", "cookie"
    };

    private Redaction() {
    }

    /**
     * Returns a printable form of {@code uri} without userinfo and with token-like query (and
     * fragment) parameter values replaced by {@code ***}. Percent-encoding is kept as is.
     *
     * @return the redacted text, or {@code "null"} for a null URI
     */
    public static String uri(URI uri) {
        if (uri == null) {
            return "null";
        }
        if (uri.isOpaque()) {
            // e.g. "mailto:" or "urn:": no authority, so no userinfo to drop; no query either.
            return uri.getScheme() + ":" + uri.getRawSchemeSpecificPart();
        }
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append(':');
        }
        String authority = uri.getRawAuthority();
        if (authority != null) {
            // The last '@' ends the userinfo; userinfo itself may not contain a raw '@'.
            int at = authority.lastIndexOf('@');
            out.append("//").append(at < 0 ? authority : authority.substring(at + 1));
        }
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(maskParameters(uri.getRawQuery()));
        }
        if (uri.getRawFragment() != null) {
            out.append('#').append(maskParameters(uri.getRawFragment()));
        }
        return out.toString();
    }

    /**
     * Tells whether a header field carries credentials or session state: the well-known
     * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, {@code Set-Cookie},
     * {@code WWW-Authenticate}, {@code Proxy-Authenticate}, {@code X-Api-Key} and
     * {@code X-Auth-Token}, and any name containing {@code token}, {@code secret},
     * {@code api-key}, {@code api_key}, {@code apikey}, {@code password} or {@code cookie}.
     * Case-insensitive (RFC 9110 §5.1: field names are case-insensitive).
     *
     * @return false for null
     */
    public static boolean isSensitiveHeader(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (SENSITIVE_HEADERS.contains(lower)) {
            return true;
        }
        for (String part : SENSITIVE_HEADER_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns {@code ***} when {@link #isSensitiveHeader(String) name is sensitive}, otherwise
     * {@code value} unchanged (null stays null).
     */
    public static String headerValue(String name, String value) {
        return isSensitiveHeader(name) ? MASK : value;
    }

    /**
     * Masks the values of sensitive {@code name=value} pairs in an {@code &}-separated raw
     * query or fragment. Pairs without {@code =} and all separators are kept as they were.
     */
    static String maskParameters(String raw) {
        if (raw.indexOf('=') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            String pair = raw.substring(start, end);
            int eq = pair.indexOf('=');
            if (eq >= 0 && isSensitiveParameter(pair.substring(0, eq))) {
                out.append(pair, 0, eq + 1).append(MASK);
            } else {
                out.append(pair);
            }
            if (end < raw.length()) {
                out.append('&');
            }
            start = end + 1;
        }
        return out.toString();
    }

    private static boolean isSensitiveParameter(String rawName) {
        String name = lenientPercentDecode(rawName).toLowerCase(Locale.ROOT);
        return SENSITIVE_PARAMETERS.contains(name);
    }

    /**
     * Decodes %XX escapes of ASCII characters (and '+' as space, as forms do), leaving anything
     * malformed as it is. Only used to recognise parameter names such as {@code access%5Ftoken};
     * it never fails.
     */
    private static String lenientPercentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && SafeText.isHexDigit(s.charAt(i + 1)) && SafeText.isHexDigit(s.charAt(i + 2))) {
                int b = Integer.parseInt(s.substring(i + 1, i + 3), 16);
                if (b < 0x80) {
                    out.append((char) b);
                    i += 2;
                    continue;
                }
            }
            out.append(c == '+' ? ' ' : c);
        }
        return out.toString();
    }
}
