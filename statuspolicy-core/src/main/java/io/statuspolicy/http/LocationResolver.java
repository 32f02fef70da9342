package io.statuspolicy.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a {@code Location} field value into the URI to request next, or refuses it with a
 * reason (RFC 9110 §10.2.2). Resolution follows RFC 3986 §5.2 exactly; then the target must
 * pass the checks below, so that one single parse decides the origin, the security checks and
 * the connection.
 *
 * <h2>How a value is read</h2>
 * <ul>
 *   <li>The value is expected as a parsed field value, without leading or trailing whitespace
 *       (RFC 9110 §5.5); it is not trimmed.</li>
 *   <li>An empty value is a valid same-document reference (RFC 3986 §4.4, §5.4.1) and resolves
 *       to the base itself; detecting such a loop is the caller's job.</li>
 *   <li>Raw non-ASCII characters are not rejected but percent-encoded as UTF-8, one {@code %XX}
 *       per byte with upper-case hex (RFC 3986 §2.1, §2.5); an unpaired UTF-16 surrogate is
 *       encoded as U+FFFD. A raw non-ASCII host is then rejected as percent-encoded: an
 *       internationalised host must be sent as an A-label ({@code xn--...}).</li>
 *   <li>Percent-encoded dots ({@code %2E}, {@code %2e}) in the path are decoded before dot
 *       segments are removed: they are equivalent to "." (RFC 3986 §2.3, §6.2.2.2), and
 *       decoding them keeps an encoded "..", which many servers decode, from surviving.
 *       Nothing else is decoded; {@code /a%0d%0aSet-Cookie:%20x} stays as sent.</li>
 *   <li>The base's path is cleaned of dot segments first (RFC 3986 §5.2.1 allows normalising
 *       the base), and a base in non-ASCII form is used in its ASCII form.</li>
 *   <li>The scheme of the target is written in lower case (RFC 3986 §3.1, §6.2.2.1); an empty
 *       port ({@code http://a.test:/}) is dropped (RFC 3986 §6.2.3); the rest stays as sent.</li>
 *   <li>Several URIs in one value are not recognised as such. With the usual ", " separator
 *       the value contains a space and is rejected; without a space
 *       ({@code /x,http://b.test/y}) the comma is a legal path character and the whole value
 *       is one URI. The caller must refuse a response with several {@code Location} field
 *       lines (RFC 9110 §10.2.2).</li>
 * </ul>
 *
 * <h2>What is rejected</h2>
 * A null or blank value; a value longer than {@link #MAX_LENGTH} characters; a raw space,
 * control character (0x00-0x1F, 0x7F) or backslash (which browsers read as '/', so the value
 * could mean two different things); a malformed scheme; a target scheme other than http or
 * https (RFC 9110 §4.2); a missing or empty host; userinfo, even an empty one (RFC 9110
 * §4.2.4: "treat its presence as an error"); a port outside 1-65535 or a second ':'; a
 * malformed IPv6 literal, an IPvFuture literal or an IPv6 zone identifier; a host with
 * percent-encoded characters or any character outside letters, digits, '-' and '.' (an
 * underscore included, which {@link URI} cannot parse as a host); anything else
 * {@link URI#URI(String)} refuses.
 *
 * <p>A reason names the problem and quotes the value in a safe, shortened form: control
 * characters escaped, at most about 100 characters, userinfo and token-like query values
 * masked. Reasons never contain credentials.
 *
 * <p>Stateless and thread-safe.
 */
public final class LocationResolver {

    /** The longest value resolved, in characters: 8 KiB, like common header-size limits. */
    public static final int MAX_LENGTH = 8 * 1024;

    private LocationResolver() {
    }

    /** The outcome of {@link #resolve(URI, String)}: a target to request, or a refusal. */
    public sealed interface Result permits Resolved, Rejected {
    }

    /**
     * A target that passed every check: absolute, http or https, with a host, without userinfo
     * and without dot segments. It keeps a fragment (inherited or its own) for reporting; the
     * fragment is never sent (RFC 9110 §7.1).
     *
     * @param target the absolute target URI
     */
    public record Resolved(URI target) implements Result {

        /** Checks that the target is present. */
        public Resolved {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * A {@code Location} that must not be followed.
     *
     * @param reason an English sentence naming the problem, safe to log
     */
    public record Rejected(String reason) implements Result {

        /** Checks that the reason is present. */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Resolves a {@code Location} value against the URI of the request that received it.
     *
     * @param base          the target URI of the request; must be absolute
     * @param locationValue the field value as received; may be null or anything else
     * @return {@link Resolved} or {@link Rejected}; never throws for any value
     * @throws NullPointerException     if {@code base} is null
     * @throws IllegalArgumentException if {@code base} is not absolute
     */
    public static Result resolve(URI base, String locationValue) {
        Objects.requireNonNull(base, "base");
        if (!base.isAbsolute()) {
            throw new IllegalArgumentException("base URI must be absolute: " + Redaction.uri(base));
        }
        if (locationValue == null) {
            return new Rejected("Location value is missing");
        }
        if (!locationValue.isEmpty() && locationValue.isBlank()) {
            return reject(locationValue, "is blank");
        }
        if (locationValue.length() > MAX_LENGTH) {
            return new Rejected("Location value is " + locationValue.length()
                    + " characters long, more than the " + MAX_LENGTH + " allowed; it starts with "
                    + SafeText.quote(SafeText.uriReference(locationValue)));
        }
        String problem = forbiddenCharacter(locationValue);
        if (problem != null) {
            return reject(locationValue, problem);
        }

        UriReference reference = UriReference.parse(encodeNonAscii(locationValue));
        if (reference.scheme() != null && !SafeText.isScheme(reference.scheme())) {
            return reject(locationValue, "has a malformed scheme");
        }
        reference = withPathDotsDecoded(reference);
        UriReference baseReference = normalisedBase(base);
        UriReference target = UriReference.resolve(baseReference, reference);

        String scheme = target.scheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            // In "user:pw@host" the "scheme" is a user name: name it only if masking kept it.
            boolean showScheme = reference.scheme() == null
                    || SafeText.uriReference(locationValue).startsWith(reference.scheme() + ":");
            return reject(locationValue, (showScheme ? "has scheme " + SafeText.quote(target.scheme()) : "has a scheme")
                    + "; only http and https are followed");
        }
        if (target.authority() == null) {
            return reject(locationValue, "has no host");
        }
        Authority authority = checkAuthority(target.authority());
        if (authority.problem != null) {
            return reject(locationValue, authority.problem);
        }
        // A fragment-less reference inherits the base's fragment (RFC 9110 §10.2.2).
        String fragment = target.fragment() != null ? target.fragment() : baseReference.fragment();
        String text = new UriReference(scheme, authority.normalised, target.path(), target.query(), fragment).toString();

        URI uri;
        try {
            uri = new URI(text);
            // Fails when URI would treat the authority as registry-based (getHost() == null).
            uri = uri.parseServerAuthority();
        } catch (URISyntaxException e) {
            // Only the reason and index: e.getMessage() would repeat the whole input.
            return reject(locationValue, "is not a valid URI (" + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() + " of the resolved target" : "") + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return reject(locationValue, "has no host that java.net.URI can read");
        }
        return new Resolved(uri);
    }

    /**
     * True for a redirect from https to http, which exposes the next request to the network
     * (RFC 9110 §17.16.1). Schemes are compared case-insensitively.
     */
    public static boolean isSecureDowngrade(URI from, URI to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return "https".equalsIgnoreCase(from.getScheme()) && "http".equalsIgnoreCase(to.getScheme());
    }

    private static Rejected reject(String value, String problem) {
        return new Rejected("Location " + SafeText.quote(SafeText.uriReference(value)) + " " + problem);
    }

    /**
     * A raw space, control character or backslash never belongs in a URI (RFC 3986 §2) and
     * would either split the request line or be read differently by different parsers.
     */
    private static String forbiddenCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                return "contains a raw space at index " + i;
            }
            if (c < 0x20 || c == 0x7F) {
                return String.format("contains the control character U+%04X at index %d", (int) c, i);
            }
            if (c == '\\') {
                return "contains a backslash at index " + i;
            }
        }
        return null;
    }

    /** Percent-encodes every non-ASCII character as UTF-8 bytes (RFC 3986 §2.5). */
    static String encodeNonAscii(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(value.length() + 16).append(value, 0, i);
            }
            int codePoint;
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                codePoint = Character.toCodePoint(c, value.charAt(i + 1));
                i++;
            } else if (Character.isSurrogate(c)) {
                codePoint = 0xFFFD; // an unpaired surrogate has no UTF-8 form
            } else {
                codePoint = c;
            }
            for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return out == null ? value : out.toString();
    }

    private static UriReference withPathDotsDecoded(UriReference r) {
        return new UriReference(r.scheme(), r.authority(), decodeDots(r.path()), r.query(), r.fragment());
    }

    /** Replaces {@code %2E} and {@code %2e} by '.', see the class Javadoc. */
    static String decodeDots(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        return path.replace("%2E", ".").replace("%2e", ".");
    }

    private static UriReference normalisedBase(URI base) {
        UriReference b = UriReference.parse(base.toASCIIString());
        String path = decodeDots(b.path());
        // Dot segments are only meaningful in a hierarchical path (RFC 3986 §3.3).
        if (b.authority() != null || path.startsWith("/")) {
            path = UriReference.removeDotSegments(path);
        }
        return new UriReference(b.scheme(), b.authority(), path, b.query(), b.fragment());
    }

    /** The authority with an empty port dropped, or the reason it is refused. */
    private record Authority(String normalised, String problem) {

        static Authority ok(String normalised) {
            return new Authority(normalised, null);
        }

        static Authority refused(String problem) {
            return new Authority(null, problem);
        }
    }

    /**
     * Checks {@code authority = [ userinfo "@" ] host [ ":" port ]} (RFC 3986 §3.2) strictly
     * enough that the host seen here is the host a client connects to.
     */
    private static Authority checkAuthority(String authority) {
        if (authority.indexOf('@') >= 0) {
            // RFC 9110 §4.2.4: userinfo is deprecated and "likely being used to obscure the
            // authority"; the reason does not repeat it.
            return Authority.refused("contains userinfo before the host, which RFC 9110 §4.2.4 treats as an error");
        }
        String host;
        String port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return Authority.refused("has an IPv6 literal without its closing ']'");
            }
            String literal = authority.substring(1, close);
            if (!literal.isEmpty() && (literal.charAt(0) == 'v' || literal.charAt(0) == 'V')) {
                return Authority.refused("has an IPvFuture literal, which is not supported");
            }
            if (literal.indexOf('%') >= 0) {
                // RFC 6874 zone identifiers are local to the sender's machine.
                return Authority.refused("has an IPv6 zone identifier, which is not allowed in a redirect");
            }
            if (Ipv6.parse(literal) == null) {
                return Authority.refused("has a malformed IPv6 literal");
            }
            host = authority.substring(0, close + 1);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty() && rest.charAt(0) != ':') {
                return Authority.refused("has characters after the IPv6 literal that are not a port");
            }
            port = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                return Authority.refused("has no host");
            }
            if (host.indexOf('%') >= 0) {
                // curl CVE-2022-27780: "%2F" in a host can decode to a delimiter and name
                // another host.
                return Authority.refused("has a percent-encoded or non-ASCII host; an internationalised host must be sent as an A-label (xn--)");
            }
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (!SafeText.isAlpha(c) && !SafeText.isDigit(c) && c != '-' && c != '.') {
                    return Authority.refused("has the character '" + c + "' in its host");
                }
            }
        }
        if (port == null) {
            return Authority.ok(authority);
        }
        if (port.indexOf(':') >= 0) {
            return Authority.refused("has more than one ':' after the host");
        }
        if (port.isEmpty()) {
            return Authority.ok(host); // RFC 3986 §6.2.3: an empty port means the default
        }
        if (!isPort(port)) {
            return Authority.refused("has port " + SafeText.quote(port) + ", which is not in 1-65535");
        }
        return Authority.ok(authority);
    }

    private static boolean isPort(String s) {
        if (s.length() > 5) {
            return false;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (!SafeText.isDigit(s.charAt(i))) {
                return false;
            }
            n = n * 10 + (s.charAt(i) - '0');
        }
        return n >= 1 && n <= 65535;
    }
}
