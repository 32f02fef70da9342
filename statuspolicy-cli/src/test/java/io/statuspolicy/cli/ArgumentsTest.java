package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgumentsTest {
    @TempDir
    Path dir;

    @Test
    void secondsTakeDecimals() {
        assertThat(Arguments.seconds("2")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Arguments.seconds("0.25")).isEqualTo(Duration.ofMillis(250));
        assertThat(Arguments.seconds("1.5e1")).isEqualTo(Duration.ofSeconds(15));
        assertThat(Arguments.seconds("0")).isZero();
    }

    @Test
    void secondsRefuseNegativesAndWords() {
        assertThatThrownBy(() -> Arguments.seconds("-1")).hasMessageContaining(">= 0").hasMessageContaining("-1");
        assertThatThrownBy(() -> Arguments.seconds("soon")).hasMessageContaining("\"soon\"");
        assertThatThrownBy(() -> Arguments.seconds("1e30")).hasMessageContaining("fewer seconds");
    }

    @Test
    void headerIsSplitAtTheFirstColonAndTrimmed() {
        assertThat(Arguments.header("X-A:  b: c ", "-H")).isEqualTo(new Arguments.Header("X-A", "b: c"));
        assertThat(Arguments.header("X-Empty:", "-H")).isEqualTo(new Arguments.Header("X-Empty", ""));
    }

    @Test
    void badHeadersAreUsageErrorsThatNeverEchoTheValue() {
        assertThatThrownBy(() -> Arguments.header("no colon", "-H")).isInstanceOf(ExitCodes.UsageException.class);
        assertThatThrownBy(() -> Arguments.header("Bad Name: x", "-H")).hasMessageContaining("not a valid header");
        assertThatThrownBy(() -> Arguments.header("Host: elsewhere", "-H")).hasMessageContaining("set by the HTTP client");
        assertThatThrownBy(() -> Arguments.header("X-Secret: SECRET\r\nX-Injected: 1", "-H"))
                .hasMessageContaining("not allowed").hasMessageNotContaining("SECRET");
    }

    @Test
    void headersFromAFileSkipBlankLinesAndComments() throws Exception {
        Path file = Files.writeString(dir.resolve("h"), "# comment\nAuthorization: Bearer x\n\n  X-B: 2  \n");

        List<Arguments.Header> headers = Arguments.headers(List.of("X-A: 1", "@" + file));

        assertThat(headers).containsExactly(new Arguments.Header("X-A", "1"),
                new Arguments.Header("Authorization", "Bearer x"), new Arguments.Header("X-B", "2"));
    }

    @Test
    void aBadLineInAHeaderFileIsNamedByFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("h"), "X-A: 1\nbroken\n");

        assertThatThrownBy(() -> Arguments.headers(List.of("@" + file))).hasMessageStartingWith(file + ":2:");
        assertThatThrownBy(() -> Arguments.headers(List.of("@" + dir.resolve("missing"))))
                .hasMessageContaining("cannot read the file");
    }

    @Test
    void idempotencyKeyIsAStructuredFieldString() {
        assertThat(Arguments.idempotencyKey("auto")).matches("\"[0-9a-f-]{36}\"");
        assertThat(Arguments.idempotencyKey("auto")).isNotEqualTo(Arguments.idempotencyKey("auto"));
        assertThat(Arguments.idempotencyKey("order-7")).isEqualTo("\"order-7\"");
        assertThat(Arguments.idempotencyKey("\"already\"")).isEqualTo("\"already\"");
        assertThat(Arguments.idempotencyKey("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThatThrownBy(() -> Arguments.idempotencyKey("é")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> Arguments.idempotencyKey("\"\"")).hasMessageContaining("empty");
    }
}
