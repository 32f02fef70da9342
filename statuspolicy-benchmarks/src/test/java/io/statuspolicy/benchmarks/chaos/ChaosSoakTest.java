package io.statuspolicy.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The short chaos soak that `mvn verify` runs; the long one is a documented command (docs/benchmarks.md). */
class ChaosSoakTest {

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "okhttp"})
    void aShortSoakKeepsEveryInvariant(String client) throws Exception {
        ChaosSoak.Report report = ChaosSoak.run(300, 24, 42, client);
        System.out.println(report.summary());

        assertThat(report.violations()).as(report.summary()).isEmpty();
        // The run exercised what it claims to: successes, failures with decisions, retries, disturbances.
        assertThat(report.outcomes()).containsKey("2xx");
        assertThat(report.outcomes().keySet()).anyMatch(outcome -> outcome.startsWith("failed"));
        assertThat(report.requests()).as("retries happened").isGreaterThan(report.calls());
        assertThat(report.serverActs()).containsKeys("OK_CUT_OFF", "RESET_AFTER_REQUEST", "STATUS_503_DRIPPING");
    }
}
