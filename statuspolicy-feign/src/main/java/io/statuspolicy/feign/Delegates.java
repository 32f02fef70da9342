package io.statuspolicy.feign;

import java.lang.reflect.Field;
import java.util.List;

/**
 * Refuses a delegate under which the policy would run twice, or which repeats requests on its
 * own. Feign's OkHttp client is checked by name through reflection, so this module needs no
 * OkHttp on its class path.
 */
final class Delegates {
    private static final String FEIGN_OKHTTP = "feign.okhttp.OkHttpClient";
    private static final String POLICY_INTERCEPTOR = "io.statuspolicy.okhttp.PolicyInterceptor";
    private static final String HEAD_GUARD = "io.statuspolicy.okhttp.HeadGuard";

    private Delegates() {
    }

    static void check(Object delegate) {
        if (delegate == null) {
            throw new NullPointerException("delegate");
        }
        if (delegate instanceof PolicyFeignClient || delegate instanceof PolicyAsyncFeignClient) {
            throw new IllegalArgumentException("the Feign client already follows the policy: install "
                    + "StatusPolicyFeign once (a second decorator would run every call through the policy twice)");
        }
        if (delegate.getClass().getName().equals(FEIGN_OKHTTP)) {
            checkOkHttp(okHttpOf(delegate));
        }
    }

    private static Object okHttpOf(Object feignClient) {
        try {
            Field field = feignClient.getClass().getDeclaredField("delegate");
            field.setAccessible(true);
            return field.get(feignClient);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // cannot look inside: the README says what the OkHttp client must not do
        }
    }

    private static void checkOkHttp(Object okhttp) {
        if (okhttp == null) {
            return;
        }
        for (String list : new String[] {"interceptors", "networkInterceptors"}) {
            for (Object interceptor : (List<?>) call(okhttp, list)) {
                if (interceptor.getClass().getName().equals(POLICY_INTERCEPTOR)) {
                    throw new IllegalArgumentException("the OkHttp client under this Feign client already runs the "
                            + "statuspolicy-okhttp interceptor: the policy would run twice on every call. Build the "
                            + "OkHttpClient for Feign without StatusPolicyOkHttp.install(...), and let "
                            + "StatusPolicyFeign own the policy");
                }
            }
        }
        boolean guarded = false;
        for (Object interceptor : (List<?>) call(okhttp, "networkInterceptors")) {
            guarded |= interceptor.getClass().getName().equals(HEAD_GUARD);
        }
        if (!guarded) {
            throw new IllegalArgumentException("the OkHttp client under this Feign client is not neutral: OkHttp "
                    + "resends a 503 with Retry-After: 0 once for any method (no setting turns that off) and turns "
                    + "a 407 without a proxy into an exception, below the policy. Build it with "
                    + "StatusPolicyOkHttp.neutral(new OkHttpClient.Builder()) (statuspolicy-okhttp)");
        }
        if (Boolean.TRUE.equals(call(okhttp, "retryOnConnectionFailure"))) {
            throw new IllegalArgumentException("the OkHttp client under this Feign client retries on its own "
                    + "(retryOnConnectionFailure is true, OkHttp's default), behind the policy's back: build it "
                    + "with new OkHttpClient.Builder().retryOnConnectionFailure(false)");
        }
    }

    private static Object call(Object target, String method) {
        try {
            return target.getClass().getMethod(method).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + method + "() of " + target.getClass().getName(), e);
        }
    }
}
