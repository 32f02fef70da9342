package io.statuspolicy.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy from the environment, as curl reads it: {@code http_proxy} for {@code http:} URLs,
 * {@code https_proxy} for {@code https:} (upper-case names too), {@code no_proxy} for hosts
 * that go direct. Under CGI ({@code REQUEST_METHOD} set) the upper-case {@code HTTP_PROXY} is
 * ignored, because a client's {@code Proxy:} request header arrives there (httpoxy,
 * CVE-2016-5385; the safety catalogue's case 15). Proxy userinfo is not used: proxy
 * authentication is not supported, and a 407 ends the call with exit code 7.
 */
final class EnvironmentProxy extends ProxySelector {
    private final URI httpProxy;
    private final URI httpsProxy;
    private final List<String> noProxy;

    private EnvironmentProxy(URI httpProxy, URI httpsProxy, List<String> noProxy) {
        this.httpProxy = httpProxy;
        this.httpsProxy = httpsProxy;
        this.noProxy = noProxy;
    }

    /** The selector for {@code env}, or null when it names no proxy. */
    static EnvironmentProxy from(Map<String, String> env) {
        boolean cgi = env.containsKey("REQUEST_METHOD");
        String http = first(env, "http_proxy", cgi ? null : "HTTP_PROXY");
        String https = first(env, "https_proxy", "HTTPS_PROXY");
        if (http == null && https == null) {
            return null;
        }
        String exclusions = first(env, "no_proxy", "NO_PROXY");
        List<String> noProxy = new ArrayList<>();
        if (exclusions != null) {
            for (String entry : exclusions.split(",")) {
                String host = entry.strip().toLowerCase(Locale.ROOT);
                if (!host.isEmpty()) {
                    noProxy.add(host.startsWith(".") ? host.substring(1) : host);
                }
            }
        }
        return new EnvironmentProxy(parse(http, "http_proxy"), parse(https, "https_proxy"), noProxy);
    }

    private static String first(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        if ((value == null || value.isBlank()) && fallback != null) {
            value = env.get(fallback);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static URI parse(String value, String name) {
        if (value == null) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new ExitCodes.UsageException(name + ": expected a proxy URL such as http://proxy:3128");
        }
        if (uri.getHost() == null || !"http".equalsIgnoreCase(uri.getScheme())) {
            throw new ExitCodes.UsageException(name + ": expected a proxy URL such as http://proxy:3128");
        }
        return uri;
    }

    /** The proxy used for {@code target}, or null to go direct. */
    URI proxyFor(URI target) {
        String host = target.getHost() == null ? "" : target.getHost().toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            if (entry.equals("*") || host.equals(entry) || host.endsWith("." + entry)) {
                return null;
            }
        }
        return "https".equalsIgnoreCase(target.getScheme()) ? httpsProxy : httpProxy;
    }

    @Override
    public List<Proxy> select(URI uri) {
        URI proxy = proxyFor(uri);
        if (proxy == null) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = proxy.getPort() < 0 ? 80 : proxy.getPort();
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), port)));
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // The policy decides about the failure; nothing to remember here.
    }
}
