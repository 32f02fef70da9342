package io.statuspolicy.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Random;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** The adapter's URI of a caller's URL is the one OkHttp's own {@code HttpUrl.uri()} gives. */
class AttemptRequestsTest {
    /** Every printable ASCII character, a control character, and a few beyond ASCII. */
    private static final String ALPHABET;

    static {
        StringBuilder chars = new StringBuilder();
        for (char c = 0x20; c < 0x7f; c++) {
            chars.append(c);
        }
        ALPHABET = chars.append("\u0001\u007f\u00e9\u00df\u4e2d\ud83d\ude00").toString();
    }

    @Test
    void urlsThatJavaNetUriRefusesAsTheyAreAreReencodedAsOkHttpDoes() {
        for (String text : List.of("http://127.0.0.1/a[b]c", "http://127.0.0.1/q?x={y}|z^`\\w",
                "http://127.0.0.1/p%zz/%4", "http://127.0.0.1/\u00fc/\u00df?\u00e4=\u00f6#frag ment{x}",
                "http://[::1]:8080/x?y", "http://user:pa%20ss@127.0.0.1/", "http://127.0.0.1/a%2Fb?c=%26&d=+e",
                "http://127.0.0.1/x#a\"b<c>", "http://127.0.0.1:65535/?", "https://127.0.0.1/.//../a/./b")) {
            HttpUrl url = HttpUrl.get(text);
            assertSame(url);
        }
    }

    @Test
    void twentyThousandRandomUrlsGiveOkHttpsOwnUri() {
        Random random = new Random(20261201);
        int parsedAsIs = 0;
        for (int i = 0; i < 20_000; i++) {
            HttpUrl.Builder builder = new HttpUrl.Builder().scheme(random.nextBoolean() ? "http" : "https")
                    .host(random.nextInt(4) == 0 ? "::1" : "127.0.0.1");
            if (random.nextBoolean()) {
                builder.port(1 + random.nextInt(65535));
            }
            for (int s = random.nextInt(4); s > 0; s--) {
                if (random.nextBoolean()) {
                    builder.addPathSegment(text(random));
                } else {
                    builder.addEncodedPathSegment(text(random));
                }
            }
            for (int q = random.nextInt(3); q > 0; q--) {
                if (random.nextBoolean()) {
                    builder.addQueryParameter(text(random), random.nextBoolean() ? null : text(random));
                } else {
                    builder.addEncodedQueryParameter(text(random), text(random));
                }
            }
            if (random.nextInt(3) == 0) {
                builder.encodedFragment(text(random));
            }
            HttpUrl url = builder.build();
            assertSame(url);
            if (url.toString().equals(url.uri().toString())) {
                parsedAsIs++;
            }
        }
        // Both branches ran: most texts are valid URIs as they are, many random ones are not.
        assertThat(parsedAsIs).isBetween(1_000, 19_000);
    }

    @Test
    void aUrlParsedLatelyGivesTheSameUriAgainAndNoOtherUrlsUri() {
        HttpUrl first = HttpUrl.get("http://127.0.0.1:8080/items/17?x=1");
        URI parsed = AttemptRequests.uriOf(first);
        assertThat(AttemptRequests.uriOf(HttpUrl.get("http://127.0.0.1:8080/items/17?x=1")))
                .as("the same text, another HttpUrl: kept").isSameAs(parsed);
        // Many texts through the 64 slots: each gets its own URI, whatever was in its slot before,
        // the first time and again (by then most slots hold another text).
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 1_000; i++) {
                assertSame(HttpUrl.get("http://127.0.0.1:8080/items/" + i + "?q=" + (i * 7)));
            }
        }
        HttpUrl withPassword = HttpUrl.get("http://user:secret@127.0.0.1/a");
        assertSame(withPassword);
        assertThat(AttemptRequests.uriOf(withPassword)).as("a URL with credentials is not kept")
                .isNotSameAs(AttemptRequests.uriOf(withPassword));
    }

    private static void assertSame(HttpUrl url) {
        URI expected = url.uri();
        URI actual = AttemptRequests.uriOf(url);
        assertThat(actual).as(url.toString()).isEqualTo(expected);
        assertThat(actual.toString()).as(url.toString()).isEqualTo(expected.toString());
        assertThat(actual.getRawPath()).isEqualTo(expected.getRawPath());
        assertThat(actual.getRawQuery()).isEqualTo(expected.getRawQuery());
        assertThat(actual.getHost()).isEqualTo(expected.getHost());
        assertThat(actual.getPort()).isEqualTo(expected.getPort());
    }

    private static String text(Random random) {
        int length = random.nextInt(6);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int index = random.nextInt(ALPHABET.length());
            char c = ALPHABET.charAt(index);
            if (Character.isHighSurrogate(c) && index + 1 < ALPHABET.length()) {
                text.append(c).append(ALPHABET.charAt(index + 1));
            } else if (!Character.isLowSurrogate(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }
}
