package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -w}: curl's variables and escapes, and the unsupported-option messages. */
class WriteOutTest {
    private static final WriteOut.Values VALUES = new WriteOut.Values(0, "http://a.test/x", 2, 1234, 3, 4, 5, "PUT");

    @Test
    void variablesEscapesAndPercent() {
        assertThat(WriteOut.parse("%{http_code} %{response_code}|%{url_effective}|%{num_redirects}|%{time_total}|"
                + "%{num_retries}|%{statuspolicy_attempts}|%{exitcode}|%{method}|100%%\\n\\t").render(VALUES))
                .isEqualTo("000 000|http://a.test/x|2|1.234000|3|4|5|PUT|100%\n\t");
    }

    @Test
    void unknownVariablesAndFilesAreUsageErrors() {
        assertThatThrownBy(() -> WriteOut.parse("%{size_download}")).isInstanceOf(ExitCodes.UsageException.class)
                .hasMessageContaining("unknown variable %{size_download}");
        assertThatThrownBy(() -> WriteOut.parse("%{http_code")).hasMessageContaining("without a closing");
        assertThatThrownBy(() -> WriteOut.parse("@format.txt")).hasMessageContaining("-w @FILE");
    }

    @Test
    void theFirstUnmatchedOptionIsReported_neverItsValueOrTheUrl() {
        assertThat(CurlOptions.unmatched(List.of("--retry-all-errors", "http://a.test/")))
                .startsWith("curl's --retry-all-errors is not offered: ").contains("--policy");
        assertThat(CurlOptions.unmatched(List.of("--cookie=a=b"))).startsWith("curl's --cookie is not offered");
        assertThat(CurlOptions.unmatched(List.of("http://a.test/", "--nope", "x"))).isEqualTo("unknown option '--nope'");
        assertThat(CurlOptions.unmatched(List.of("http://a.test/", "extra"))).isNull();
    }
}
