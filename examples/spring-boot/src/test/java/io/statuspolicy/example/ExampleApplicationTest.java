package io.statuspolicy.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.ScriptedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The example does what its README says, against its own scripted server. */
@ExtendWith(OutputCaptureExtension.class)
class ExampleApplicationTest {

    @Test
    void eachClientFollowsThePolicy() {
        try (ScriptedServer server = ExampleApplication.scriptedServer();
                ConfigurableApplicationContext context = ExampleApplication.start(server)) {
            Tour tour = context.getBean(Tour.class);

            assertThat(tour.retried()).isEqualTo("order 42: shipped");
            assertThat(server.requests("/orders/42")).as("the 503 retried once").hasSize(2);

            assertThat(tour.moved()).isEqualTo("case 17: closed");
            assertThat(tour.moved()).isEqualTo("case 17: closed");
            assertThat(server.requests("/cases/17")).as("the 301 remembered").hasSize(1);
            assertThat(server.requests("/archive/cases/17")).hasSize(2);

            assertThat(tour.refreshed()).isEqualTo("profile: alice");
            assertThat(server.requests("/profile/me")).extracting(r -> r.header("Authorization"))
                    .as("one fresh token after the 401").containsExactly("Bearer token-1", "Bearer token-2");

            assertThat(tour.reactive()).isEqualTo("stock 7: 12 left");
            assertThat(server.requests("/stock/7")).as("the 503 retried by the WebClient filter").hasSize(2);
        }
    }

    @Test
    void mainPrintsTheTour(CapturedOutput output) {
        ExampleApplication.main(new String[0]);
        assertThat(output.getOut()).contains("got: order 42: shipped", "got: case 17: closed", "got: profile: alice", "got: stock 7: 12 left",
                "(retry)", "(redirect)", "(credentials)");
    }
}
