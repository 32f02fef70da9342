package io.statuspolicy.http;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The origin of a resource, the triple (scheme, host, port) of RFC 9110 §4.3.1 (and RFC 6454).
 * Two URIs are the same origin only when all three match; credentials and unsafe-method
 * redirects are judged by it.
 *
 * <p>Normal form, applied by the constructor so that equal origins are equal records:
 * <ul>
 *   <li>scheme and host in lower case (both are case-insensitive, RFC 3986 §3.1, §3.2.2);</li>
 *   <li>an IPv6 host without brackets, in the canonical text of RFC 5952 (so {@code [::1]},
 *       {@code [0:0::1]} and {@code ::1} are all stored as {@code ::1});</li>
 *   <li>the port always explicit: {@link #of(URI)} fills in 80 for http and 443 for https.</li>
 * </ul>
 * Host names are otherwise compared as text: no DNS, no IDNA mapping, and {@code a.test.} (with
 * a final dot) differs from {@code a.test}.
 *
 * @param scheme the scheme, e.g. {@code https}
 * @param host   the host name, IPv4 address or IPv6 address (without brackets)
 * @param port   the port, 1 to 65535
 */
public record Origin(String scheme, String host, int port) {

    /**
     * Normalises and checks the components.
     *
     * @throws IllegalArgumentException if scheme or host is empty or the port is not 1-65535
     */
    public Origin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (scheme.isEmpty()) {
            throw new IllegalArgumentException("origin scheme is empty");
        }
        if (host.length() >= 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("origin host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("origin port " + port + " is not in 1-65535");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = host.toLowerCase(Locale.ROOT);
        if (host.indexOf(':') >= 0) {
            int[] groups = Ipv6.parse(host);
            if (groups != null) {
                host = Ipv6.canonical(groups);
            }
        }
    }

    /**
     * The origin of an absolute URI with a host.
     *
     * @throws IllegalArgumentException if the URI has no scheme or no host (e.g. it is relative,
     *                                  opaque or has a registry-based authority), or has no
     *                                  port and a scheme other than http or https
     */
    public static Origin of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        Origin origin = originOrNull(uri);
        if (origin == null) {
            throw new IllegalArgumentException("URI " + Redaction.uri(uri)
                    + " has no origin: it needs a scheme, a host and, unless http or https, a port");
        }
        return origin;
    }

    /**
     * True when both URIs have an origin and it is the same. A URI without an origin is never
     * the same origin as anything, which is the safe answer for credential forwarding.
     */
    public static boolean sameOrigin(URI a, URI b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Origin first = originOrNull(a);
        return first != null && first.equals(originOrNull(b));
    }

    private static Origin originOrNull(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null || host.isEmpty()) {
            return null;
        }
        int port = uri.getPort();
        if (port == -1) {
            port = switch (scheme.toLowerCase(Locale.ROOT)) {
                case "http" -> 80;   // RFC 9110 §4.2.1
                case "https" -> 443; // RFC 9110 §4.2.2
                default -> -1;
            };
        }
        if (port < 1 || port > 65535) {
            return null;
        }
        return new Origin(scheme, host, port);
    }

    /** Serialises as {@code scheme://host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + shownHost + ":" + port;
    }
}
