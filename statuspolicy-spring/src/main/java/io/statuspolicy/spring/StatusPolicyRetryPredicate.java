package io.statuspolicy.spring;

import io.statuspolicy.engine.PolicyException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpHeaders;
import org.springframework.resilience.retry.MethodRetryPredicate;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClientResponseException;

/**
 * For Spring Framework 7's {@code @Retryable}: refuses to retry what the policy already decided,
 * allows everything else.
 *
 * <pre>{@code
 * @Retryable(maxRetries = 3, predicate = StatusPolicyRetryPredicate.class)
 * public Order place(Order order) { ... a RestClient or WebClient call that carries the policy ... }
 * }</pre>
 *
 * <p>Refused (no retry): a {@link PolicyException} anywhere in the cause chain (the policy gave up
 * after its own attempts, or refused to send); and a status exception for a response the policy
 * returned as final: a {@code WebClientResponseException} whose request carried the filter's
 * attempt attribute, or a {@link RestClientResponseException} raised on the thread whose last
 * call through the interceptor returned that very response (same status and header fields).
 * The policy already retried what the guideline says to retry and returned what it says to
 * return; retrying the method again multiplies its attempts (4 x 4) and its deadline.
 *
 * <p>Allowed: every other failure (a business exception, a status from a client without the
 * policy, a failure before any HTTP call).
 *
 * <p>Needs a public no-argument constructor: Spring makes one per annotated method.
 */
public class StatusPolicyRetryPredicate implements MethodRetryPredicate {
    private static final boolean WEBFLUX = ClassUtils.isPresent(
            "org.springframework.web.reactive.function.client.WebClientResponseException",
            StatusPolicyRetryPredicate.class.getClassLoader());

    @Override
    public boolean shouldRetry(Method method, Throwable throwable) {
        return !decidedByThePolicy(throwable);
    }

    /** Whether {@code error} is, or was caused by, something the policy already decided. */
    public static boolean decidedByThePolicy(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PolicyException) {
                return true;
            }
            if (WEBFLUX && Reactive.decided(t)) {
                return true;
            }
            if (t instanceof RestClientResponseException status && Receipts.matches(status)) {
                return true;
            }
        }
        return false;
    }

    /** Kept apart so that this class loads without WebFlux. */
    private static final class Reactive {
        static boolean decided(Throwable t) {
            return t instanceof org.springframework.web.reactive.function.client.WebClientResponseException status
                    && status.getRequest() != null
                    && status.getRequest().getAttributes().containsKey(StatusPolicySpring.ATTEMPT);
        }
    }

    /**
     * What the interceptor last returned on each thread. RestClient and RestTemplate raise their
     * status exceptions on the calling thread, right after the interceptor returns, from a copy of
     * the response's head: the receipt is that head, so a status exception matches it only when
     * it was made from the response the policy returned.
     */
    static final class Receipts {
        private static final ThreadLocal<Receipt> LAST = new ThreadLocal<>();

        private Receipts() {
        }

        record Receipt(int status, Map<String, List<String>> headers) {
        }

        static void returned(int status, HttpHeaders headers) {
            LAST.set(new Receipt(status, normalised(headers)));
        }

        static void clear() {
            LAST.remove();
        }

        static boolean matches(RestClientResponseException status) {
            Receipt receipt = LAST.get();
            return receipt != null && receipt.status() == status.getStatusCode().value()
                    && receipt.headers().equals(normalised(status.getResponseHeaders()));
        }

        private static Map<String, List<String>> normalised(HttpHeaders headers) {
            Map<String, List<String>> map = new TreeMap<>();
            if (headers != null) {
                headers.forEach((name, values) -> map.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            }
            return map;
        }
    }
}
