package io.statuspolicy.example;

import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.service.registry.ImportHttpServices;

/**
 * A small Boot application with the statuspolicy starter: it starts a scripted server on
 * 127.0.0.1 (standing in for the APIs a service calls), then calls it through Boot's
 * {@code RestClient.Builder}, an {@code @HttpExchange} interface, a {@code @FeignClient} and
 * Boot's {@code WebClient.Builder}, and prints what the
 * policy did. No line of the application handles a status: the starter does.
 */
@SpringBootApplication
@EnableFeignClients
@ImportHttpServices(group = "cases", types = CasesApi.class)
public class ExampleApplication {

    public static void main(String[] args) {
        try (ScriptedServer server = scriptedServer();
                ConfigurableApplicationContext context = start(server, args)) {
            context.getBean(Tour.class).runAll(System.out);
        }
    }

    /** The application, pointed at {@code server}. */
    static ConfigurableApplicationContext start(ScriptedServer server, String... args) {
        String base = "http://127.0.0.1:" + server.port();
        return new SpringApplicationBuilder(ExampleApplication.class)
                .web(WebApplicationType.NONE)
                .properties("downstream.url=" + base, "spring.http.serviceclient.cases.base-url=" + base)
                .run(args);
    }

    /** What the stand-in APIs answer: a 503 with Retry-After, a moved resource, a token that has expired. */
    static ScriptedServer scriptedServer() {
        ScriptedServer server = ScriptedServer.start();
        server.on("/orders/42", Reply.status(503).header("Retry-After", "1"), Reply.ok("order 42: shipped"));
        server.on("/cases/17", Reply.status(301).header("Location", "/archive/cases/17"));
        server.on("/archive/cases/17", Reply.ok("case 17: closed"));
        server.on("/profile/me", Reply.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
                Reply.ok("profile: alice"));
        server.on("/stock/7", Reply.status(503).header("Retry-After", "0"), Reply.ok("stock 7: 12 left"));
        return server;
    }

    /**
     * The application's tokens: the first one has expired (the server says so with a 401), the
     * policy asks for a fresh one once and resends. In a real service: a token endpoint, a vault.
     */
    @Bean
    CredentialSource tokens() {
        AtomicInteger issued = new AtomicInteger();
        return CredentialSource.fromSupplier(() -> "Bearer token-" + issued.incrementAndGet());
    }

    /** Prints each request the policy sends and why. */
    @Bean
    PolicyListener narrator() {
        PrintStream out = System.out;
        return new PolicyListener() {
            @Override
            public void attemptStarted(PolicyEvent.AttemptStarted event) {
                out.printf("    sent %s %s (%s)%n", event.method(), event.uri().getPath(),
                        event.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }

            @Override
            public void decisionMade(PolicyEvent.DecisionMade event) {
                out.printf("      policy: %s%n", event.decision().explain());
            }
        };
    }
}
