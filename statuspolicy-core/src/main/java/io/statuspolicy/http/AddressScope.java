package io.statuspolicy.http;

import java.util.Locale;

/**
 * Where a host literal points: the public internet or a network that only the client's side can
 * reach. Used to keep a redirect from leading a request from a public address to an internal
 * one (server-side request forgery through redirects).
 *
 * <p>{@link #ofHost(String)} looks at the text only: no DNS. It recognises
 * <ul>
 *   <li>IPv4 addresses in every form that URI parsers and resolvers accept: dotted decimal,
 *       the shorter forms {@code 127.1} and {@code 2130706433}, and octal ({@code 0177.0.0.1})
 *       and hexadecimal ({@code 0x7f.1}, {@code 0x7f000001}) parts, as {@code inet_aton(3)}
 *       reads them. A part with a leading zero is read both as octal and as decimal (java.net
 *       reads {@code 0177.0.0.1} as 177.0.0.1) and the more internal reading wins. One final dot
 *       is ignored.</li>
 *   <li>IPv6 literals with or without brackets (a zone identifier is ignored), including the
 *       forms that carry an IPv4 address: IPv4-mapped ({@code ::ffff:127.0.0.1}),
 *       IPv4-compatible ({@code ::127.0.0.1}), IPv4-translated ({@code ::ffff:0:127.0.0.1}) and
 *       the NAT64 well-known prefix ({@code 64:ff9b::/96}), which are judged by that IPv4
 *       address.</li>
 *   <li>The names {@code localhost} and {@code *.localhost}, which resolve to loopback
 *       (RFC 6761 §6.3).</li>
 * </ul>
 * Any other name is {@link #PUBLIC}: what it resolves to can only be checked when the client
 * connects, which is the executor's job, not this class's.
 *
 * <p>Stateless and thread-safe.
 */
public enum AddressScope {
    /** Anything not listed below, and every host name other than {@code localhost}. */
    PUBLIC("a public address"),
    /** 127.0.0.0/8, ::1, {@code localhost} and {@code *.localhost} (RFC 1122 §3.2.1.3, RFC 4291, RFC 6761). */
    LOOPBACK("a loopback address"),
    /** 169.254.0.0/16 (RFC 3927; cloud metadata services live here) and fe80::/10 (RFC 4291). */
    LINK_LOCAL("a link-local address"),
    /**
     * 10/8, 172.16/12, 192.168/16 (RFC 1918), 100.64/10 (RFC 6598 shared address space, where
     * some clouds serve metadata), fc00::/7 (RFC 4193 unique local) and fec0::/10 (the
     * deprecated site-local, RFC 3879).
     */
    PRIVATE("a private address"),
    /** 0.0.0.0/8 ("this network", RFC 1122 §3.2.1.3: connecting to it reaches the local host) and ::. */
    UNSPECIFIED("an unspecified address");

    private final String phrase;

    AddressScope(String phrase) {
        this.phrase = phrase;
    }

    /** "a loopback address", for explanations. */
    public String phrase() {
        return phrase;
    }

    /** Whether the address is one only the client's side can reach: anything but {@link #PUBLIC}. */
    public boolean isInternal() {
        return this != PUBLIC;
    }

    /**
     * The scope of a host as {@link java.net.URI#getHost()} gives it: an IPv6 literal in
     * brackets or not, an IPv4 literal in any of its forms, or a name. Null or empty is
     * {@link #PUBLIC} (there is nothing to connect to).
     */
    public static AddressScope ofHost(String host) {
        if (host == null || host.isEmpty()) {
            return PUBLIC;
        }
        String text = host;
        if (text.length() >= 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
            text = text.substring(1, text.length() - 1);
        }
        if (text.indexOf(':') >= 0) {
            int zone = text.indexOf('%');
            int[] groups = Ipv6.parse(zone < 0 ? text : text.substring(0, zone));
            return groups == null ? PUBLIC : ofIpv6(groups);
        }
        text = text.toLowerCase(Locale.ROOT);
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.equals("localhost") || text.endsWith(".localhost")) {
            return LOOPBACK;
        }
        AddressScope asResolverReadsIt = ofIpv4(parseIpv4(text, false));
        if (asResolverReadsIt.isInternal()) {
            return asResolverReadsIt;
        }
        return ofIpv4(parseIpv4(text, true));
    }

    private static AddressScope ofIpv6(int[] g) {
        boolean zeroTo4 = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0;
        if (zeroTo4 && g[4] == 0 && g[5] == 0 && g[6] == 0 && (g[7] == 0 || g[7] == 1)) {
            return g[7] == 0 ? UNSPECIFIED : LOOPBACK;
        }
        long embedded = ((long) g[6] << 16) | g[7];
        if (zeroTo4 && (g[4] == 0 && (g[5] == 0 || g[5] == 0xffff) || g[4] == 0xffff && g[5] == 0)) {
            return ofIpv4(embedded); // IPv4-compatible, IPv4-mapped, IPv4-translated
        }
        if (g[0] == 0x64 && g[1] == 0xff9b && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0) {
            return ofIpv4(embedded); // NAT64 well-known prefix (RFC 6052)
        }
        if ((g[0] & 0xffc0) == 0xfe80) {
            return LINK_LOCAL;
        }
        if ((g[0] & 0xfe00) == 0xfc00 || (g[0] & 0xffc0) == 0xfec0) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    /** The scope of a 32-bit IPv4 address, or {@link #PUBLIC} for -1 (not an address). */
    private static AddressScope ofIpv4(long a) {
        if (a < 0) {
            return PUBLIC;
        }
        long first = a >>> 24;
        if (first == 0) {
            return UNSPECIFIED;
        }
        if (first == 127) {
            return LOOPBACK;
        }
        if (a >>> 16 == 0xA9FE) { // 169.254/16
            return LINK_LOCAL;
        }
        if (first == 10 || a >>> 20 == 0xAC1 || a >>> 16 == 0xC0A8 || a >>> 22 == 0x191) {
            return PRIVATE; // 10/8, 172.16/12, 192.168/16, 100.64/10
        }
        return PUBLIC;
    }

    /**
     * An IPv4 address as {@code inet_aton(3)} reads it: one to four parts separated by dots,
     * each decimal, octal (a leading 0) or hexadecimal (0x); all but the last are one byte and
     * the last fills the remaining bytes. With {@code decimalOnly}, parts with a leading zero are
     * read as decimal instead, as java.net does. Returns -1 when the text is not such an address.
     */
    static long parseIpv4(String text, boolean decimalOnly) {
        if (text.isEmpty() || text.length() > 64) {
            return -1;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return -1;
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            long value = part(parts[i], decimalOnly);
            boolean last = i == parts.length - 1;
            long max = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (value < 0 || value > max) {
                return -1;
            }
            address = last ? (address << (8 * (4 - i))) | value : (address << 8) | value;
        }
        return address;
    }

    /** One part: its value, or -1 when it is not a number in its base or exceeds 32 bits. */
    private static long part(String s, boolean decimalOnly) {
        if (s.isEmpty()) {
            return -1;
        }
        int radix = 10;
        int from = 0;
        if (!decimalOnly && s.length() >= 2 && s.charAt(0) == '0' && (s.charAt(1) == 'x' || s.charAt(1) == 'X')) {
            radix = 16;
            from = 2;
        } else if (!decimalOnly && s.length() >= 2 && s.charAt(0) == '0') {
            radix = 8;
            from = 1;
        }
        long value = 0;
        for (int i = from; i < s.length(); i++) {
            int digit = Character.digit(s.charAt(i), radix);
            if (digit < 0 || s.charAt(i) > 'z') {
                return -1;
            }
            value = value * radix + digit;
            if (value > 0xFFFF_FFFFL) {
                return -1;
            }
        }
        return value;
    }
}
