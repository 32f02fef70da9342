package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables that fit a width, the width itself, and URIs shown without masking what is no secret. */
class OutputFitsTest {

    @Test
    void aTableWrapsItsWidestColumnsAtWordBoundariesToFit() {
        List<List<String>> rows = List.of(List.of("Status", "What the client does"),
                List.of("503 Service Unavailable", "Service unavailable: retry, honouring Retry-After, which the "
                        + "server may send as seconds or as an HTTP-date."),
                List.of("200 OK", "return it"));

        String text = TextTable.render(rows, 50);

        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(50));
        assertThat(text.lines().toList()).hasSizeGreaterThan(3);
        // Broken between words only: every word of the long cell is still whole.
        assertThat(text.replaceAll("\\s+", " ")).contains("Service unavailable: retry, honouring Retry-After,")
                .contains("HTTP-date.");
        assertThat(TextTable.render(rows, 200).lines()).hasSize(3);
    }

    @Test
    void wrapIsGreedyAndKeepsLongWordsWhole() {
        assertThat(TextTable.wrap("one two three four", 9)).containsExactly("one two", "three", "four");
        assertThat(TextTable.wrap("a verylongwordindeed b", 5)).containsExactly("a", "verylongwordindeed", "b");
    }

    @Test
    void theWidthIsColumnsOrTheDefault() {
        assertThat(Terminal.width(Map.of("COLUMNS", "132"), false)).isEqualTo(132);
        assertThat(Terminal.width(Map.of("COLUMNS", "20"), false)).isEqualTo(60);
        assertThat(Terminal.width(Map.of("COLUMNS", "wide"), false)).isEqualTo(100);
        assertThat(Terminal.width(Map.of(), false)).isEqualTo(100);
    }

    @Test
    void aShortNumberIsNoSecret_butEverythingElseTheCoreMasksStaysMasked() {
        assertThat(Shown.uri(URI.create("http://u:p@a.test/s?code=200&token=s3cr3t&x=1#f")))
                .isEqualTo("http://a.test/s?code=200&token=***&x=1#f");
        assertThat(Shown.uri(URI.create("http://a.test/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=1")))
                .isEqualTo("http://a.test/cb?code=***&state=1");
        assertThat(Shown.uri(URI.create("http://a.test/otp?code=123456"))).isEqualTo("http://a.test/otp?code=***");
        assertThat(Shown.uri(URI.create("http://a.test/p?access_token=12"))).isEqualTo("http://a.test/p?access_token=12");
        assertThat(Shown.uri(URI.create("http://a.test/plain"))).isEqualTo("http://a.test/plain");
    }
}
