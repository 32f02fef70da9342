package io.statuspolicy.okhttp;

import java.io.IOException;
import java.net.Proxy;
import java.util.List;
import okhttp3.Connection;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The network interceptor that hides, from OkHttp's own follow-up logic, the two responses it
 * would act on although every switch is off; {@link #restore} puts them back before the policy
 * decides. Every other response passes untouched.
 *
 * <ul>
 *   <li>A 503 with {@code Retry-After: 0} is resent once by {@code RetryAndFollowUpInterceptor}
 *       for any method, and no setting turns it off: its {@code Retry-After} fields travel up
 *       under another name.</li>
 *   <li>A 407 on a connection without an HTTP proxy makes OkHttp throw a
 *       {@code ProtocolException} ("Received HTTP_PROXY_AUTH (407) code while not using proxy"),
 *       losing the response: it travels up as a 400, its real status in a field.</li>
 * </ul>
 *
 * <p>The two field names are reserved: a server's own fields of these names are dropped, so a
 * server cannot make a response look like one this interceptor changed.
 */
final class HeadGuard implements Interceptor {
    static final String RETRY_AFTER = "Statuspolicy-Hidden-Retry-After";
    static final String STATUS = "Statuspolicy-Hidden-Status";
    static final HeadGuard INSTANCE = new HeadGuard();

    private HeadGuard() {
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        boolean reserved = response.header(RETRY_AFTER) != null || response.header(STATUS) != null;
        boolean hideRetryAfter = response.code() == 503 && response.header("Retry-After") != null;
        boolean hideProxyRefusal = response.code() == 407 && !throughHttpProxy(chain.connection());
        if (!reserved && !hideRetryAfter && !hideProxyRefusal) {
            return response;
        }
        // Values are copied as they came (a lying server may send bytes OkHttp would refuse to send).
        Headers.Builder fields = response.headers().newBuilder().removeAll(RETRY_AFTER).removeAll(STATUS);
        if (hideRetryAfter) {
            fields.removeAll("Retry-After");
            for (String value : response.headers("Retry-After")) {
                fields.addUnsafeNonAscii(RETRY_AFTER, value);
            }
        }
        Response.Builder changed = response.newBuilder();
        if (hideProxyRefusal) {
            changed.code(400);
            fields.add(STATUS, "407");
        }
        return changed.headers(fields.build()).build();
    }

    private static boolean throughHttpProxy(Connection connection) {
        return connection != null && connection.route().proxy().type() == Proxy.Type.HTTP;
    }

    /** The response as the server sent it: undoes what {@link #intercept} changed. */
    static Response restore(Response response) {
        String status = response.header(STATUS);
        List<String> retryAfter = response.headers(RETRY_AFTER);
        if (status == null && retryAfter.isEmpty()) {
            return response;
        }
        Headers.Builder fields = response.headers().newBuilder().removeAll(STATUS).removeAll(RETRY_AFTER);
        for (String value : retryAfter) {
            fields.addUnsafeNonAscii("Retry-After", value);
        }
        Response.Builder original = response.newBuilder().headers(fields.build());
        if (status != null) {
            original.code(Integer.parseInt(status));
        }
        return original.build();
    }

    /**
     * The application interceptor that undoes {@link HeadGuard}'s changes on a client no policy
     * interceptor runs on ({@link StatusPolicyOkHttp#neutral}), so the layer above OkHttp sees each
     * response as the server sent it.
     */
    static final class Restore implements Interceptor {
        static final Restore INSTANCE = new Restore();

        private Restore() {
        }

        @Override
        public Response intercept(Chain chain) throws IOException {
            return restore(chain.proceed(chain.request()));
        }
    }
}
