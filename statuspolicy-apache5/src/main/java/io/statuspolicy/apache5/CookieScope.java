package io.statuspolicy.apache5;

import io.statuspolicy.http.Origin;
import java.net.URI;
import org.apache.hc.client5.http.cookie.BasicCookieStore;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.protocol.HttpClientContext;

/**
 * Keeps the client's cookies with the call's first origin. HttpClient matches cookies by domain
 * and path and ignores the port, so after a redirect to another origin (another port of the same
 * host, or another host under the same domain) its cookie store would add the first origin's
 * cookies, against the guideline's rule that credentials and cookies never travel to another
 * origin. An attempt to another origin runs with an empty store of its own (what that origin
 * sets is kept for that attempt only); an attempt to the first origin, and the end of the call,
 * put the caller's store back.
 */
final class CookieScope {
    private final HttpClientContext context;
    private final CookieStore callers;
    private final URI first;

    CookieScope(HttpClientContext context, URI first) {
        this.context = context;
        this.callers = context.getCookieStore();
        this.first = first;
    }

    /** Sets the store the attempt to {@code uri} may use. */
    void enter(URI uri) {
        if (callers != null) {
            context.setCookieStore(uri == first || Origin.sameOrigin(uri, first) ? callers : new BasicCookieStore());
        }
    }

    /** Puts the caller's store back. */
    void restore() {
        if (callers != null) {
            context.setCookieStore(callers);
        }
    }
}
