package io.statuspolicy.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.http.Origin;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remembered keys of {@link RetryBudget#keyOf} are exactly the keys it would make. */
class OriginKeysTest {

    @Test
    void everyKeyIsTheOriginAsOriginWritesItHoweverTheTableIsShared() {
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // more origins than slots: entries are replaced and collide
            uris.add(URI.create("http://host" + i + ".test/a"));
            uris.add(URI.create("HTTPS://Host" + i + ".TEST:8443/b?c"));
            uris.add(URI.create("https://host" + i + ".test/"));
        }
        uris.add(URI.create("http://[::1]:8080/x"));
        uris.add(URI.create("http://[0:0:0:0:0:0:0:1]:8080/x"));
        uris.add(URI.create("http://127.0.0.1/x"));
        for (int round = 0; round < 3; round++) {
            for (URI uri : uris) {
                assertThat(RetryBudget.keyOf(uri)).as("%s", uri).isEqualTo(Origin.of(uri).toString());
            }
        }
    }

    @Test
    void aUriWithoutAnOriginIsStillRefused() {
        assertThatThrownBy(() -> RetryBudget.keyOf(URI.create("/relative"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryBudget.keyOf(URI.create("ftp://a.test/x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
