package io.statuspolicy.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.RedirectStore;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The actuator endpoint: only when exposed, and what it says. */
class StatusPolicyEndpointTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(StatusPolicyAutoConfiguration.class))
            .withPropertyValues("spring.http.clients.redirects=dont-follow");

    @Test
    void notThereUnlessExposed() {
        runner.run(context -> assertThat(context).doesNotHaveBean(StatusPolicyEndpoint.class));
        runner.withPropertyValues("management.endpoints.web.exposure.include=statuspolicy")
                .run(context -> assertThat(context).hasSingleBean(StatusPolicyEndpoint.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void explainsAStatusPerClientAndListsLearnedRedirectsRedacted() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=statuspolicy",
                "statuspolicy.clients.reports.rules.404.handling=fail").run(context -> {
            StatusPolicyEndpoint endpoint = context.getBean(StatusPolicyEndpoint.class);

            Map<String, Object> application = endpoint.explain(404, null);
            assertThat(application.get("client")).isEqualTo("application");
            assertThat(((Map<String, Object>) application.get("rule")).get("handling")).isEqualTo("AWAIT_RESOURCE");
            Map<String, Object> reports = endpoint.explain(404, "reports");
            assertThat(((Map<String, Object>) reports.get("rule")).get("handling")).isEqualTo("FAIL");
            assertThat((String) application.get("GET")).isNotBlank();
            assertThatThrownBy(() -> endpoint.explain(404, "nobody")).hasMessageContaining("reports");
            assertThatThrownBy(() -> endpoint.explain(99, null)).hasMessageContaining("100 to 599");

            RedirectStore store = context.getBean(StatusPolicyClients.class).applicationEngine().redirectStore();
            store.remember("MOVED https://api.example/old?token=s3cret principal=abc",
                    new RedirectStore.Moved(URI.create("https://user:pw@api.example/new?sig=x"), 301, Long.MAX_VALUE / 2));
            Map<String, Object> all = endpoint.statusPolicy();
            String text = all.toString();
            assertThat(text).contains("https://api.example/old?***", "https://api.example/new?***", "withCredentials=true")
                    .doesNotContain("s3cret", "user:pw", "sig=x", "abc");
            List<?> learned = (List<?>) ((Map<String, Object>) ((Map<String, Object>) all.get("clients"))
                    .get("application")).get("learnedRedirects");
            assertThat(learned).hasSize(1);

            assertThat(endpoint.forgetRedirects("https://api.example/elsewhere", null).get("forgotten")).isEqualTo(0);
            assertThat(endpoint.forgetRedirects("https://api.example/old?token=s3cret", null).get("forgotten")).isEqualTo(1);
            assertThat(store.isEmpty()).isTrue();
        });
    }
}
