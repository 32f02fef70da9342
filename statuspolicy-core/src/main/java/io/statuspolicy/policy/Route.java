package io.statuspolicy.policy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which requests a scoped part of the policy applies to: methods, a host and a path pattern.
 *
 * <p>The text form is {@code [METHOD[,METHOD...]] [//HOST]PATH}, for example
 * {@code "GET /cases/{id}"}, {@code "GET,HEAD //api.example.com/cases/**"} or
 * {@code "//*.example.com/**"}. In the path, {@code {name}} and {@code *} match one segment,
 * {@code **} (last) matches the rest, anything else matches itself. A host is matched without
 * regard to case; {@code *.example.com} matches any subdomain of example.com (not example.com
 * itself). No methods means any method; no host means any host.
 *
 * <p>Methods in a route name standard methods, which are upper case: they may be written in
 * any case ({@code "get /x"}) and are stored upper case. A request's method is matched exactly,
 * because methods are case-sensitive (RFC 9110 §9.1): a route for GET does not apply to a
 * request whose method is {@code get}.
 *
 * @param methods the methods, upper-cased, empty for any
 * @param host    the host or {@code *.suffix} pattern, or {@code null} for any
 * @param path    the path pattern, starting with {@code /}
 */
public record Route(Set<String> methods, String host, String path) {

    /** Validates and normalises the fields. */
    public Route {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/', was \"" + path + "\"");
        }
        int doubleStar = path.indexOf("**");
        if (doubleStar >= 0 && doubleStar != path.length() - 2) {
            throw new IllegalArgumentException("'**' may only end a route path, was \"" + path + "\"");
        }
        TreeSet<String> upper = new TreeSet<>();
        for (String method : Objects.requireNonNull(methods, "methods")) {
            if (method == null || !method.matches("[A-Za-z]+")) {
                throw new IllegalArgumentException("route method must be letters only, was \"" + method + "\"");
            }
            upper.add(method.toUpperCase(Locale.ROOT));
        }
        methods = Set.copyOf(upper);
        if (host != null) {
            if (host.isBlank() || !host.matches("(\\*\\.)?[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException("route host must be a host name or *.suffix, was \"" + host + "\"");
            }
            host = host.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses the text form, e.g. {@code "GET /cases/{id}"}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Route parse(String text) {
        Objects.requireNonNull(text, "route");
        String rest = text.strip();
        Set<String> methods = Set.of();
        int space = rest.indexOf(' ');
        if (space > 0 && !rest.startsWith("/")) {
            methods = Set.copyOf(Arrays.asList(rest.substring(0, space).split(",")));
            rest = rest.substring(space + 1).strip();
        }
        String host = null;
        if (rest.startsWith("//")) {
            int slash = rest.indexOf('/', 2);
            if (slash < 0) {
                host = rest.substring(2);
                rest = "/**";
            } else {
                host = rest.substring(2, slash);
                rest = rest.substring(slash);
            }
        }
        if (!rest.startsWith("/")) {
            throw new IllegalArgumentException("route \"" + text
                    + "\" must look like \"GET /cases/{id}\" or \"GET //host/path\"");
        }
        return new Route(methods, host, rest);
    }

    /** Whether a request with this method and URI is in the route. */
    public boolean matches(String method, URI uri) {
        if (!methods.isEmpty() && !methods.contains(method)) {
            return false;
        }
        if (host != null && !hostMatches(uri.getHost())) {
            return false;
        }
        String requestPath = uri.getRawPath();
        return pathMatches(requestPath == null || requestPath.isEmpty() ? "/" : requestPath);
    }

    private boolean hostMatches(String requestHost) {
        if (requestHost == null) {
            return false;
        }
        String lower = requestHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("*.")) {
            return lower.endsWith(host.substring(1));
        }
        return lower.equals(host);
    }

    private boolean pathMatches(String requestPath) {
        List<String> want = segments(path);
        List<String> have = segments(requestPath);
        for (int i = 0; i < want.size(); i++) {
            String pattern = want.get(i);
            if (pattern.equals("**")) {
                return true;
            }
            if (i >= have.size()) {
                return false;
            }
            boolean wildcard = pattern.equals("*") || (pattern.startsWith("{") && pattern.endsWith("}"));
            if (wildcard ? have.get(i).isEmpty() : !pattern.equals(have.get(i))) {
                return false;
            }
        }
        return want.size() == have.size();
    }

    private static List<String> segments(String path) {
        return Arrays.asList(path.substring(1).split("/", -1));
    }

    /** The text form, which {@link #parse(String)} reads back. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (!methods.isEmpty()) {
            text.append(String.join(",", new TreeSet<>(methods))).append(' ');
        }
        if (host != null) {
            text.append("//").append(host);
        }
        return text.append(path).toString();
    }
}
