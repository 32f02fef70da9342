package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {

    private static TestCertificates certificates;
    private static ScriptedServer server;

    @BeforeAll
    static void startServer() {
        certificates = TestCertificates.generate();
        server = ScriptedServer.startTls(certificates);
        server.on("/secure", Reply.ok("over TLS"));
    }

    @AfterAll
    static void closeServer() {
        server.close();
    }

    @Test
    void aClientTrustingTheTestCaTalksToLocalhostAndToTheAddress() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext())
                .connectTimeout(Duration.ofSeconds(2)).build();

        URI byName = URI.create("https://localhost:" + server.port() + "/secure");
        HttpResponse<String> named = client.send(HttpRequest.newBuilder(byName).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> addressed = client.send(HttpRequest.newBuilder(server.uri("/secure?ip")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(server.scheme()).isEqualTo("https");
        assertThat(server.uri("/secure").toString()).startsWith("https://127.0.0.1:");
        assertThat(named.body()).isEqualTo("over TLS");
        assertThat(named.version()).isEqualTo(HttpClient.Version.HTTP_1_1); // ALPN offers only http/1.1
        assertThat(addressed.body()).isEqualTo("over TLS");
        assertThat(server.requests("/secure")).extracting(RecordedExchange::target)
                .contains("/secure", "/secure?ip");
    }

    @Test
    void aClientWithoutTheTestCaFailsTheHandshake() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/secure")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void writesTheCaAsPemForACommandLine(@TempDir Path directory) throws Exception {
        Path pem = certificates.writeCaPem(directory);

        assertThat(pem).isEqualTo(directory.resolve(TestCertificates.CA_PEM_FILE_NAME));
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        try (InputStream in = Files.newInputStream(pem)) {
            assertThat(CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .isEqualTo(certificates.caCertificate());
        }
    }
}
