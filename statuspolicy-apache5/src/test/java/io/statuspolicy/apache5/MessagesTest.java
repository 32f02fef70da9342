package io.statuspolicy.apache5;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.apache.hc.client5.http.utils.URIUtils;
import org.junit.jupiter.api.Test;

/** The adapter's own readings of HttpClient's messages agree with HttpClient's. */
class MessagesTest {
    @Test
    void theHostOfAUriIsTheOneHttpClientExtracts() {
        for (String text : List.of("http://127.0.0.1/a", "https://127.0.0.1:8443/a/b?c=d#e", "HTTP://Example.COM/x",
                "http://example.com:80/", "https://example.com", "http://[::1]:8080/x", "http://[2001:db8::1]/",
                "http://user:secret@127.0.0.1:9000/p", "http://my_host.internal/p", "http://xn--bcher-kva.example/",
                "//127.0.0.1/no-scheme", "/relative/only", "mailto:someone@example.com", "http://-bad-.example/",
                "http://127.0.0.1:0/", "http://a.b.c.d.e.f/%20/%2F?x=%7A")) {
            URI uri = URI.create(text);
            assertThat(Messages.hostOf(uri)).as(text).isEqualTo(URIUtils.extractHost(uri));
        }
    }
}
