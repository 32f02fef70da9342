package io.statuspolicy.http;

/**
 * Validates and canonicalises IPv6 address text, the content of an IP-literal without its
 * brackets and without a zone identifier (RFC 3986 §3.2.2, grammar {@code IPv6address}).
 * Package-private: {@link LocationResolver} validates with it and {@link Origin} compares
 * addresses in one canonical text form.
 */
final class Ipv6 {

    private Ipv6() {
    }

    /**
     * Parses IPv6 address text into its eight 16-bit groups, or returns null if the text does
     * not match RFC 3986's {@code IPv6address}: hex groups of 1-4 digits, at most one "::"
     * standing for one or more zero groups, and an optional dotted IPv4 address as the last
     * 32 bits (RFC 4291 §2.2).
     */
    static int[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        int[] head;
        int[] tail;
        if (doubleColon < 0) {
            head = groups(text, true);
            tail = new int[0];
            if (head == null || head.length != 8) {
                return null;
            }
        } else {
            head = groups(text.substring(0, doubleColon), false);
            tail = groups(text.substring(doubleColon + 2), true);
            // "::" must stand for at least one group, so at most seven are written.
            if (head == null || tail == null || head.length + tail.length > 7) {
                return null;
            }
        }
        int[] result = new int[8];
        System.arraycopy(head, 0, result, 0, head.length);
        System.arraycopy(tail, 0, result, 8 - tail.length, tail.length);
        return result;
    }

    /**
     * The canonical text of RFC 5952 §4: lower-case hex without leading zeros, the longest run
     * (first on a tie) of two or more zero groups shortened to "::", and the dotted form for an
     * IPv4-mapped address (RFC 5952 §5).
     */
    static String canonical(int[] g) {
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 §4.2.2)
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }

    /**
     * Colon-separated groups; an empty string is zero groups. When {@code ipv4AllowedLast}, the
     * last part may be a dotted IPv4 address, which counts as two groups.
     */
    private static int[] groups(String text, boolean ipv4AllowedLast) {
        if (text.isEmpty()) {
            return new int[0];
        }
        String[] parts = text.split(":", -1);
        int last = parts.length - 1;
        boolean ipv4 = ipv4AllowedLast && parts[last].indexOf('.') >= 0;
        int[] result = new int[parts.length + (ipv4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (i == last && ipv4) {
                int[] v4 = ipv4(parts[i]);
                if (v4 == null) {
                    return null;
                }
                result[i] = v4[0];
                result[i + 1] = v4[1];
            } else {
                int h16 = h16(parts[i]);
                if (h16 < 0) {
                    return null;
                }
                result[i] = h16;
            }
        }
        return result;
    }

    private static int h16(String s) {
        if (s.isEmpty() || s.length() > 4) {
            return -1;
        }
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!SafeText.isHexDigit(c)) {
                return -1;
            }
            n = n * 16 + Character.digit(c, 16);
        }
        return n;
    }

    /** RFC 3986 {@code IPv4address}: four dec-octets 0-255 without leading zeros. */
    private static int[] ipv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return null;
        }
        int[] b = new int[4];
        for (int i = 0; i < 4; i++) {
            String o = octets[i];
            if (o.isEmpty() || o.length() > 3 || (o.length() > 1 && o.charAt(0) == '0')) {
                return null;
            }
            for (int k = 0; k < o.length(); k++) {
                if (!SafeText.isDigit(o.charAt(k))) {
                    return null;
                }
            }
            b[i] = Integer.parseInt(o);
            if (b[i] > 255) {
                return null;
            }
        }
        return new int[] {(b[0] << 8) | b[1], (b[2] << 8) | b[3]};
    }
}
