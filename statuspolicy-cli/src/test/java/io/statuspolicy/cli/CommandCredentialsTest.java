package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --auth-command}: the first line of output, within the timeout, whatever the command leaves behind. */
class CommandCredentialsTest {
    private static final URI ORIGIN = URI.create("http://127.0.0.1/");

    @Test
    void theFirstLineIsTheValue() throws IOException {
        assertThat(new CommandCredentials("printf 'Bearer one\\nsecond line\\n'").current(ORIGIN))
                .isEqualTo("Bearer one");
    }

    @Test
    void aBackgroundChildHoldingStandardOutputDoesNotHoldUsUp() throws IOException {
        // With a pipe, reading to end of file would wait for the child (20 s) before the timeout
        // even started to count.
        long started = System.nanoTime();

        String value = new CommandCredentials("echo 'Bearer t'; sleep 20 &").current(ORIGIN);

        assertThat(value).isEqualTo("Bearer t");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void moreOutputThanAPipeHoldsDoesNotBlock() throws IOException {
        assertThat(new CommandCredentials("echo 'Bearer big'; head -c 300000 /dev/zero | tr '\\0' x",
                Duration.ofSeconds(20)).current(ORIGIN)).isEqualTo("Bearer big");
    }

    @Test
    void theTimeoutAppliesFromTheStart() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> new CommandCredentials("sleep 10; echo late", Duration.ofMillis(300)).current(ORIGIN))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailingOrSilentCommandIsAnError() {
        assertThatThrownBy(() -> new CommandCredentials("exit 4").current(ORIGIN)).hasMessageContaining("status 4");
        assertThatThrownBy(() -> new CommandCredentials("true").current(ORIGIN))
                .hasMessageContaining("no Authorization value");
    }
}
