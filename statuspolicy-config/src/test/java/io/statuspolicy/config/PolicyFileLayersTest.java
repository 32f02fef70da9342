package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link PolicyFile#read(String, String, Policy)}: a file's changes applied to a policy other than the guideline. */
class PolicyFileLayersTest {

    private final Policy team = PolicyFile.read("""
            limits: { maxAttempts: 4, deadline: 20s }
            rules:
              "502": { handling: FAIL, grade: MUST_NOT_RETRY }
            routes:
              - route: "GET /cases/{id}"
                limits: { awaitResource: 30s }
            """, "team.yaml");

    @Test
    void aLayerChangesOnlyWhatItNames() {
        Policy client = PolicyFile.read("limits: { maxAttempts: 2 }\n", "client", team);

        assertThat(client.limits().maxAttempts()).isEqualTo(2);
        assertThat(client.limits().deadline()).as("kept from the team's file").isEqualTo(Duration.ofSeconds(20));
        assertThat(client.rule(502).handling()).isEqualTo(Handling.FAIL);
        assertThat(client.routes()).hasSize(1);
    }

    @Test
    void anEmptyLayerIsTheBaseItself() {
        assertThat(PolicyFile.read("", "client", team)).isEqualTo(team);
        assertThat(PolicyFile.read("# nothing\n", "client", team)).isEqualTo(team);
    }

    @Test
    void aLayersRoutesComeAfterTheBasesRoutes() {
        Policy client = PolicyFile.read("""
                routes:
                  - route: "POST /orders/**"
                    limits: { maxAttempts: 1 }
                """, "client", team);

        assertThat(client.routes()).extracting(scoped -> scoped.route()).containsExactly(
                Route.parse("GET /cases/{id}"), Route.parse("POST /orders/**"));
    }

    @Test
    void anErrorInALayerNamesTheLayer() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.read("limits: { maxAttempts: 0 }\n", "clients.payments", team));
        assertThat(e.source()).isEqualTo("clients.payments");
        assertThat(e.key()).isEqualTo("limits.maxAttempts");
    }
}
