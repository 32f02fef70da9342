package io.statuspolicy.example;

import java.io.PrintStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** The calls the example makes, one per client kind. Each returns the body it got. */
@Component
public class Tour {
    private final RestClient orders;
    private final CasesApi cases;
    private final ProfileApi profile;

    Tour(RestClient.Builder builder, @Value("${downstream.url}") String url, CasesApi cases, ProfileApi profile) {
        this.orders = builder.baseUrl(url).build();
        this.cases = cases;
        this.profile = profile;
    }

    /** RestClient: a 503 with Retry-After: 1 is retried after one second. */
    public String retried() {
        return orders.get().uri("/orders/{id}", 42).retrieve().body(String.class);
    }

    /** @HttpExchange: a 301 is followed, and remembered: the second call goes straight to the new URI. */
    public String moved() {
        return cases.caseFile(17);
    }

    /** @FeignClient: a 401 with an expired token gets one fresh token and one resend. */
    public String refreshed() {
        return profile.me();
    }

    void runAll(PrintStream out) {
        step(out, "RestClient, GET /orders/42 (the server answers 503 with Retry-After: 1 first)", this::retried);
        step(out, "@HttpExchange, GET /cases/17 (moved permanently)", this::moved);
        step(out, "@HttpExchange, GET /cases/17 again (the policy remembers the 301)", this::moved);
        step(out, "@FeignClient, GET /profile/me (the first token has expired)", this::refreshed);
    }

    static void step(PrintStream out, String title, java.util.function.Supplier<String> call) {
        out.println();
        out.println("== " + title);
        out.println("   got: " + call.get());
    }
}
