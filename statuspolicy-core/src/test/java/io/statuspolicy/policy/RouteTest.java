package io.statuspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTest {

    @ParameterizedTest(name = "{0} matches {1} {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            GET /cases/{id}               | GET    | https://a.test/cases/17          | true
            GET /cases/{id}               | get    | https://a.test/cases/17          | false
            GET /cases/{id}               | GET    | https://a.test/cases/            | false
            GET /cases/{id}               | GET    | https://a.test/cases/17/x        | false
            GET,HEAD /cases/*             | HEAD   | https://a.test/cases/17?x=1      | true
            /cases/**                     | DELETE | https://a.test/cases/1/2/3       | true
            /cases/**                     | DELETE | https://a.test/other             | false
            //API.a.test/**               | GET    | https://api.A.test/anything      | true
            //api.a.test/**               | GET    | https://b.test/anything          | false
            //*.a.test/x                  | GET    | https://deep.api.a.test/x        | true
            //*.a.test/x                  | GET    | https://a.test/x                 | false
            //*.a.test/x                  | GET    | https://evila.test/x             | false
            /                             | GET    | https://a.test                   | true
            """)
    void matching(String route, String method, String uri, boolean matches) {
        assertThat(Route.parse(route).matches(method, URI.create(uri))).isEqualTo(matches);
    }

    @Test
    void theTextFormReadsBack() {
        for (String text : new String[] {"GET /cases/{id}", "GET,HEAD //api.a.test/cases/**", "/x", "//h.test/**"}) {
            assertThat(Route.parse(Route.parse(text).toString())).isEqualTo(Route.parse(text));
        }
        assertThat(Route.parse("head,get /x").toString()).isEqualTo("GET,HEAD /x");
    }

    @Test
    void badRoutesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Route.parse("GET cases")).hasMessageContaining("GET cases");
        assertThatThrownBy(() -> Route.parse("/a/**/b")).hasMessageContaining("'**'");
        assertThatThrownBy(() -> Route.parse("G3T /a")).hasMessageContaining("G3T");
        assertThatThrownBy(() -> Route.parse("GET //bad host/a")).isInstanceOf(IllegalArgumentException.class);
    }
}
