package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://u:SECRET-U@a.test/x                    | https://a.test/x
            https://u@a.test:8443/x                        | https://a.test:8443/x
            https://a.test/x?access_token=SECRET-Q&page=2  | https://a.test/x?access_token=***&page=2
            https://a.test/x?ACCESS_TOKEN=s&Token=t&key=k  | https://a.test/x?ACCESS_TOKEN=***&Token=***&key=***
            https://a.test/x?access%5Ftoken=s              | https://a.test/x?access%5Ftoken=***
            https://a.test/x?X-Amz-Signature=abc&X-Amz-Credential=def&X-Amz-Date=1 | https://a.test/x?X-Amz-Signature=***&X-Amz-Credential=***&X-Amz-Date=1
            https://a.test/x?code=c&state=s                | https://a.test/x?code=***&state=s
            https://a.test/x?password=p&passwd=q&secret=r&client_secret=t | https://a.test/x?password=***&passwd=***&secret=***&client_secret=***
            https://a.test/x?api_key=a&apikey=b&sig=c&signature=d&auth=e  | https://a.test/x?api_key=***&apikey=***&sig=***&signature=***&auth=***
            https://a.test/x?id_token=a&refresh_token=b&x-amz-security-token=c | https://a.test/x?id_token=***&refresh_token=***&x-amz-security-token=***
            https://a.test/x?token                         | https://a.test/x?token
            https://a.test/x?a=1&&b=2&                     | https://a.test/x?a=1&&b=2&
            https://a.test/x?tokens=1&mytoken=2            | https://a.test/x?tokens=1&mytoken=2
            https://a.test/cb#access_token=SECRET&type=bearer | https://a.test/cb#access_token=***&type=bearer
            https://a.test/doc#section-2                   | https://a.test/doc#section-2
            /relative?token=x                              | /relative?token=***
            mailto:someone@a.test                          | mailto:someone@a.test
            https://a.test/p%20q?q=a%20b                   | https://a.test/p%20q?q=a%20b
            """)
    void dropsUserinfoAndMasksTokenParameters(String uri, String expected) {
        assertThat(Redaction.uri(URI.create(uri))).isEqualTo(expected);
    }

    @Test
    void printsNullAsNull() {
        assertThat(Redaction.uri(null)).isEqualTo("null");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Authorization", "authorization", "PROXY-AUTHORIZATION", "Cookie", "Set-Cookie",
        "WWW-Authenticate", "Proxy-Authenticate", "X-Api-Key", "X-Auth-Token", "X-CSRF-Token",
        "X-Client-Secret", "My-Api-Key", "X-Refresh-TOKEN", "Cookie2", "X-Password"
    })
    void recognisesSensitiveHeaders(String name) {
        assertThat(Redaction.isSensitiveHeader(name)).isTrue();
        assertThat(Redaction.headerValue(name, "SECRET-A")).isEqualTo("***");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Retry-After", "Location", "Date", "Accept", "X-Request-Id", ""})
    void leavesOrdinaryHeadersAlone(String name) {
        assertThat(Redaction.isSensitiveHeader(name)).isFalse();
        assertThat(Redaction.headerValue(name, "text/plain")).isEqualTo("text/plain");
    }

    @Test
    void handlesNullNames() {
        assertThat(Redaction.isSensitiveHeader(null)).isFalse();
        assertThat(Redaction.headerValue(null, "v")).isEqualTo("v");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://user:pw@b.test/x         | https://***@b.test/x
            //user:pw@b.test/x               | //***@b.test/x
            user:pw@b.test                   | ***@b.test
            http:\\\\user:pw@b.test/x        | http:\\\\***@b.test/x
            http://a.test%2F@b.test/         | http://***@b.test/
            /x?token=t#access_token=u        | /x?token=***#access_token=***
            /x#@user:pw                      | /x#@user:pw
            /plain                           | /plain
            """)
    void masksRawReferencesForMessages(String raw, String expected) {
        assertThat(SafeText.uriReference(raw)).isEqualTo(expected);
    }
}
