package io.statuspolicy.http;

/**
 * A URI reference split into its five raw components, and the reference-resolution algorithm
 * of RFC 3986 §5.2, kept separate from the safety checks so it can be tested against the
 * specification's own examples (§5.4).
 *
 * <p>All components stay exactly as written, percent-encoding included: nothing is decoded or
 * re-encoded here. A component that is absent is null, which differs from present but empty
 * ("{@code ?}" gives an empty query); the path is never null, only empty (RFC 3986 §3).
 */
record UriReference(String scheme, String authority, String path, String query, String fragment) {

    /**
     * Splits a reference the way the regular expression of RFC 3986 Appendix B does, i.e.
     * {@code ^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?}. This never fails; it
     * does not check that the components are well-formed.
     */
    static UriReference parse(String s) {
        int i = 0;
        String scheme = null;
        int firstDelimiter = SafeText.indexOfAny(s, ":/?#", 0);
        if (firstDelimiter > 0 && s.charAt(firstDelimiter) == ':') {
            scheme = s.substring(0, firstDelimiter);
            i = firstDelimiter + 1;
        }
        String authority = null;
        if (s.startsWith("//", i)) {
            int end = endOf(s, "/?#", i + 2);
            authority = s.substring(i + 2, end);
            i = end;
        }
        int pathEnd = endOf(s, "?#", i);
        String path = s.substring(i, pathEnd);
        i = pathEnd;
        String query = null;
        if (i < s.length() && s.charAt(i) == '?') {
            int end = endOf(s, "#", i + 1);
            query = s.substring(i + 1, end);
            i = end;
        }
        String fragment = null;
        if (i < s.length() && s.charAt(i) == '#') {
            fragment = s.substring(i + 1);
        }
        return new UriReference(scheme, authority, path, query, fragment);
    }

    private static int endOf(String s, String delimiters, int from) {
        int end = SafeText.indexOfAny(s, delimiters, from);
        return end < 0 ? s.length() : end;
    }

    /**
     * Transforms {@code reference} into a target URI against {@code base}, exactly as the
     * pseudocode of RFC 3986 §5.2.2 with a strict parser (a reference's scheme is never ignored,
     * even if it equals the base's; so {@code http:g} stays {@code http:g}).
     */
    static UriReference resolve(UriReference base, UriReference reference) {
        String scheme;
        String authority;
        String path;
        String query;
        if (reference.scheme != null) {
            scheme = reference.scheme;
            authority = reference.authority;
            path = removeDotSegments(reference.path);
            query = reference.query;
        } else {
            if (reference.authority != null) {
                authority = reference.authority;
                path = removeDotSegments(reference.path);
                query = reference.query;
            } else {
                if (reference.path.isEmpty()) {
                    path = base.path;
                    query = reference.query != null ? reference.query : base.query;
                } else {
                    if (reference.path.startsWith("/")) {
                        path = removeDotSegments(reference.path);
                    } else {
                        path = removeDotSegments(merge(base, reference.path));
                    }
                    query = reference.query;
                }
                authority = base.authority;
            }
            scheme = base.scheme;
        }
        return new UriReference(scheme, authority, path, query, reference.fragment);
    }

    /** RFC 3986 §5.2.3: a relative-path reference replaces the base path's last segment. */
    static String merge(UriReference base, String referencePath) {
        if (base.authority != null && base.path.isEmpty()) {
            return "/" + referencePath;
        }
        int lastSlash = base.path.lastIndexOf('/');
        return lastSlash < 0 ? referencePath : base.path.substring(0, lastSlash + 1) + referencePath;
    }

    /**
     * RFC 3986 §5.2.4: interprets "." and ".." segments. The loop follows the specification's
     * steps A-E; instead of rewriting the input buffer it advances an index, and where a step
     * would replace a prefix by "/" it points the index at an existing '/' (or, at the very end
     * of the input, writes the '/' out directly).
     */
    static String removeDotSegments(String input) {
        StringBuilder output = new StringBuilder(input.length());
        int i = 0;
        int n = input.length();
        while (i < n) {
            if (input.startsWith("../", i)) {                           // A
                i += 3;
            } else if (input.startsWith("./", i)) {                     // A
                i += 2;
            } else if (input.startsWith("/./", i)) {                    // B: "/./" -> "/"
                i += 2;
            } else if (i + 2 == n && input.startsWith("/.", i)) {       // B: "/." -> "/"
                output.append('/');
                i = n;
            } else if (input.startsWith("/../", i)) {                   // C: "/../" -> "/"
                i += 3;
                removeLastSegment(output);
            } else if (i + 3 == n && input.startsWith("/..", i)) {      // C: "/.." -> "/"
                removeLastSegment(output);
                output.append('/');
                i = n;
            } else if ((i + 1 == n && input.charAt(i) == '.')
                    || (i + 2 == n && input.startsWith("..", i))) {     // D
                i = n;
            } else {                                                    // E
                int end = input.indexOf('/', i + 1);
                if (end < 0) {
                    end = n;
                }
                output.append(input, i, end);
                i = end;
            }
        }
        return output.toString();
    }

    private static void removeLastSegment(StringBuilder output) {
        int lastSlash = output.lastIndexOf("/");
        output.setLength(Math.max(lastSlash, 0));
    }

    /** RFC 3986 §5.3: recomposes the components into a URI reference string. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (scheme != null) {
            out.append(scheme).append(':');
        }
        if (authority != null) {
            out.append("//").append(authority);
        }
        out.append(path);
        if (query != null) {
            out.append('?').append(query);
        }
        if (fragment != null) {
            out.append('#').append(fragment);
        }
        return out.toString();
    }
}
