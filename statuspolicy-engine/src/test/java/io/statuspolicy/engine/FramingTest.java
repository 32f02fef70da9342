package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Content-Length checks, one field line at a time: the digits-only shortcut (issue 14) must
 * answer exactly as the full parse does, on both sides of its 18-digit limit.
 */
class FramingTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "2", "007", "999999999999999999", "1000000000000000000", "9223372036854775807",
        " 12", "12 ", "\t12\t", "2, 2", "2,2"})
    void aSoundLengthIsNoProblem(String line) {
        assertThat(Framing.problem(List.of(line), false)).as("'%s'", line).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "-1", "+1", "1 2", "12a", "0x10", "9223372036854775808", "99999999999999999999",
        "2, 3", "2,", ",2", "１２"})
    void anUnsoundLengthIsOneNamed(String line) {
        assertThat(Framing.problem(List.of(line), false)).as("'%s'", line).startsWith("Content-Length");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "12 "})
    void aLengthBesideTransferEncodingIsAProblemWhateverItSays(String line) {
        assertThat(Framing.problem(List.of(line), true)).isEqualTo("both Transfer-Encoding and Content-Length");
    }

    @Test
    void noLengthIsNoProblem() {
        assertThat(Framing.problem(List.of(), false)).isNull();
        assertThat(Framing.problem(null, true)).isNull();
    }
}
