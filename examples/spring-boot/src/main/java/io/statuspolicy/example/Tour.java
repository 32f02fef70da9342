package io.statuspolicy.example;

import java.io.PrintStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/** The calls the example makes, one per client kind. Each returns the body it got. */
@Component
public class Tour {
    private final RestClient orders;
    private final CasesApi cases;
    private final ProfileApi profile;
    private final WebClient stock;

    Tour(RestClient.Builder builder, WebClient.Builder webClients, @Value("${downstream.url}") String url,
            CasesApi cases, ProfileApi profile) {
        this.orders = builder.baseUrl(url).build();
        this.stock = webClients.baseUrl(url).build();
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

    /** WebClient: the same policy, non-blocking: no thread waits while the policy waits. */
    public String reactive() {
        return stock.get().uri("/stock/{id}", 7).retrieve().bodyToMono(String.class).block();
    }

    void runAll(PrintStream out) {
        step(out, "RestClient, GET /orders/42 (the server answers 503 with Retry-After: 1 first)", this::retried);
        step(out, "@HttpExchange, GET /cases/17 (moved permanently)", this::moved);
        step(out, "@HttpExchange, GET /cases/17 again (the policy remembers the 301)", this::moved);
        step(out, "@FeignClient, GET /profile/me (the first token has expired)", this::refreshed);
        step(out, "WebClient, GET /stock/7 (503 with Retry-After: 0 first)", this::reactive);
    }

    static void step(PrintStream out, String title, java.util.function.Supplier<String> call) {
        out.println();
        out.println("== " + title);
        out.println("   got: " + call.get());
    }
}
