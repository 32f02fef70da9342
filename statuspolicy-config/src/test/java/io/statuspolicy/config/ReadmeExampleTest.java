package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The complete example in README.md reads, and means what the README says it means. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleReads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Policy policy = PolicyFile.read(yaml, "README.md");
        Policy guideline = Policy.guideline();

        assertThat(policy.limits().maxAttempts()).isEqualTo(3);
        assertThat(policy.limits().backoff().multiplier()).isEqualTo(1.5);
        assertThat(policy.limits().retryBudget().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.limits().retryBudget().credit()).isEqualTo(0.3);
        assertThat(policy.limits().hostHolds()).isTrue();
        assertThat(policy.limits().circuitBreaker()).isEqualTo(
                new io.statuspolicy.policy.CircuitBreakerSettings(true, 10, Duration.ofSeconds(2)));
        assertThat(policy.rule(503).grade()).isEqualTo(Grade.MAY_RETRY);
        assertThat(policy.rule(502).handling()).isEqualTo(Handling.FAIL);
        assertThat(policy.rule(499).description()).isEqualTo("Client closed the request");
        assertThat(policy.hasRow(402)).isFalse();
        assertThat(policy.transportFailureRule().handling()).isEqualTo(Handling.FAIL);
        assertThat(policy.rule(404)).isEqualTo(guideline.rule(404));
        assertThat(policy.routes()).extracting(Policy.ScopedPolicy::route).containsExactly(
                Route.parse("GET /cases/{id}"), Route.parse("POST,PUT //api.example.com/orders/**"));
        assertThat(policy.routes().get(1).policy().limits().maxAttempts()).isEqualTo(1);
        assertThat(PolicyFile.read(PolicyFile.write(policy), "again")).isEqualTo(policy);
    }
}
