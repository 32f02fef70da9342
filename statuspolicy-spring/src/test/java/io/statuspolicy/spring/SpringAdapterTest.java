package io.statuspolicy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/** What the Spring adapter does that the conformance suite cannot see: through real RestClient, RestTemplate and HTTP service proxies. */
class SpringAdapterTest {
    interface Orders {
        @GetExchange("/orders/1")
        String get();

        @PostExchange("/orders")
        String create(@RequestBody String body,
                @RequestAttribute(StatusPolicySpring.CALL_OPTIONS) CallOptions options);
    }

    private final ScriptedServer server = ScriptedServer.start();
    private final FakeClock clock = new FakeClock();
    private final StatusPolicySpring policy = StatusPolicySpring.with(PolicyEngine.builder().clock(clock)
            .sleeper(new FakeSleeper(clock)).build());

    @AfterEach
    void stop() {
        server.close();
    }

    private RestClient.Builder restClient() {
        return policy.install(RestClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port())
                .requestFactory(StatusPolicySpring.requestFactory(HttpClient.newBuilder())));
    }

    @Test
    void aRedirectIsFollowedOnceByThePolicyNotByTheFactory() {
        server.on("/old", Reply.status(302).header("Location", "/new"));
        server.on("/new", Reply.ok("moved"));

        String body = restClient().build().get().uri("/old").retrieve().body(String.class);

        assertThat(body).isEqualTo("moved");
        assertThat(server.requests("/old")).hasSize(1);
        assertThat(server.requests("/new")).hasSize(1);
    }

    @Test
    void theFactorysOwnRedirectsAreSwitchedOffOrRefusedNamingTheSetting() {
        assertThat(StatusPolicySpring.checked(StatusPolicySpring.requestFactory(
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS)))).isNotNull();

        JdkClientHttpRequestFactory following = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build());
        assertThatThrownBy(() -> StatusPolicySpring.checked(following))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("followRedirects(HttpClient.Redirect.NEVER)")
                .hasMessageContaining("spring.http.clients.redirects=dont-follow");
        assertThatThrownBy(() -> StatusPolicySpring.checked(new SimpleClientHttpRequestFactory()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setInstanceFollowRedirects");
    }

    @Test
    void laterInterceptorsSeeEveryAttemptAndAStatusThePolicyReturnsReachesTheStatusHandler() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.status(503).header("Retry-After", "0"),
                Reply.status(503).header("Retry-After", "0"), Reply.status(503).header("Retry-After", "0"));
        List<String> seen = new CopyOnWriteArrayList<>();
        ClientHttpRequestInterceptor counting = (request, body, execution) -> {
            seen.add(request.getMethod() + " " + request.getURI().getPath());
            return execution.execute(request, body);
        };
        RestClient client = restClient().requestInterceptor(counting).build();

        assertThatThrownBy(() -> client.get().uri("/r").retrieve().body(String.class))
                .isInstanceOf(ResourceAccessException.class)
                .hasCauseInstanceOf(PolicyException.class);
        assertThat(seen).as("the policy is outermost: the counting interceptor runs per attempt")
                .hasSize(server.requestCount()).hasSizeGreaterThan(1);
    }

    @Test
    void anHttpServiceClientCarriesThePolicyAndItsCallOptionsTravelAsARequestAttribute() {
        server.on("/orders/1", Reply.status(503).header("Retry-After", "0"), Reply.ok("order 1"));
        server.on("/orders", Reply.status(502), Reply.status(502), Reply.status(201).body("created"));
        Orders orders = HttpServiceProxyFactory.builderFor(RestClientAdapter.create(restClient().build())).build()
                .createClient(Orders.class);

        assertThat(orders.get()).isEqualTo("order 1");
        assertThat(server.requests("/orders/1")).hasSize(2);

        assertThatThrownBy(() -> orders.create("{}", CallOptions.DEFAULT))
                .as("a POST is not retried on a 502 unless it is marked retry-safe")
                .isInstanceOf(HttpServerErrorException.class);
        assertThat(server.requests("/orders")).hasSize(1);
        assertThat(orders.create("{}", CallOptions.DEFAULT.withRetrySafe(true))).isEqualTo("created");
        assertThat(server.requests("/orders")).hasSize(3);
        assertThat(server.requests("/orders")).extracting(r -> r.bodyUtf8()).containsOnly("{}");
    }

    @Test
    void restTemplateFollowsThePolicy() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        RestTemplate template = new RestTemplate(StatusPolicySpring.requestFactory(HttpClient.newBuilder()));
        template.getInterceptors().add(0, policy.interceptor());

        assertThat(template.getForObject("http://127.0.0.1:" + server.port() + "/r", String.class)).isEqualTo("fine");
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void callOptionsOfTheWrongTypeAreRefusedNamingTheAttribute() {
        server.on("/r", Reply.ok("fine"));
        assertThatThrownBy(() -> restClient().build().get().uri("/r").attribute(StatusPolicySpring.CALL_OPTIONS, "fast")
                .retrieve().body(String.class))
                .hasMessageContaining(StatusPolicySpring.CALL_OPTIONS).hasMessageContaining("java.lang.String");
        assertThat(server.requestCount()).isZero();
    }
}
