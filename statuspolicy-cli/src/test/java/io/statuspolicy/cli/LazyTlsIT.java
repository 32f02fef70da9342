package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS only when a connection is https (issue 13): an http: request sets up no TLS at all (the
 * JVM's class-load log shows no JSSE class, no key store, no certificate), and an https URL, or
 * a redirect to one, still gets the JDK's default trust store, and still offers HTTP/2.
 */
class LazyTlsIT {
    @TempDir
    Path dir;

    @Test
    void anHttpRequestLoadsNoTlsImplementationNorTheCaStore() throws IOException {
        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/r", Reply.ok("plain"));
            Path log = dir.resolve("classes.log");

            Cli.Result run = Cli.jar().jvm("-Xlog:class+load:file=" + log).run("request", server.uri("/r").toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("plain");
            List<String> classes = Files.readAllLines(log);
            // The log is the real one: the JDK client's classes are in it.
            assertThat(classes).anyMatch(line -> line.contains(" jdk.internal.net.http.HttpClientImpl "));
            assertThat(classes).noneMatch(line -> line.contains(" sun.security.ssl."))
                    .noneMatch(line -> line.contains(" java.security.KeyStore "))
                    .noneMatch(line -> line.contains(" sun.security.x509.X509CertImpl "));
        }
    }

    @Test
    void anHttpsUrlUsesTheDefaultTrustStoreWhenFirstConnected() throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        try (ScriptedServer tls = ScriptedServer.startTls(certificates)) {
            tls.on("/r", Reply.ok("secure"));

            Cli.Result trusted = Cli.jar().jvm(trustStore(certificates)).run("request", tls.uri("/r").toString());
            Cli.Result untrusted = Cli.jar().run("request", tls.uri("/r").toString());

            assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
            assertThat(trusted.stdout()).isEqualTo("secure");
            assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(5);
            assertThat(untrusted.stderr()).contains("TLS");
        }
    }

    @Test
    void aRedirectFromHttpToHttpsSetsUpTlsThen() throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        try (ScriptedServer tls = ScriptedServer.startTls(certificates);
                ScriptedServer plain = ScriptedServer.start()) {
            tls.on("/new", Reply.ok("moved and secure"));
            plain.on("/old", Reply.status(302).header("Location", tls.uri("/new").toString()));

            Cli.Result run = Cli.jar().jvm(trustStore(certificates)).run("request", plain.uri("/old").toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("moved and secure");
            assertThat(tls.requestCount()).isEqualTo(1);
        }
    }

    /** The client built without a context still offers h2 over TLS, as the JDK's default does. */
    @Test
    void anHttpsRequestStillOffersHttp2() throws Exception {
        TestCertificates certificates = TestCertificates.generate();
        List<String> offered = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serveOnce(listener, certificates, offered));
            String url = "https://127.0.0.1:" + listener.getLocalPort() + "/r";

            Cli.Result run = Cli.jar().jvm(trustStore(certificates)).run("request", url);

            served.get(30, TimeUnit.SECONDS);
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("over 1.1");
            assertThat(offered).containsExactly("h2", "http/1.1");
        }
    }

    /** One TLS connection: records the ALPN names the client offers, picks http/1.1, answers 200. */
    private static void serveOnce(ServerSocket listener, TestCertificates certificates, List<String> offered) {
        try (Socket plain = listener.accept();
                SSLSocket socket = (SSLSocket) certificates.serverSocketFactory().createSocket(plain,
                        "127.0.0.1", plain.getPort(), true)) {
            socket.setUseClientMode(false);
            socket.setHandshakeApplicationProtocolSelector((engine, protocols) -> {
                synchronized (offered) {
                    offered.addAll(protocols);
                }
                return protocols.contains("http/1.1") ? "http/1.1" : null;
            });
            socket.startHandshake();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed before the end of its request head: " + head);
                }
                head.append((char) b);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nover 1.1")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** JVM options that make the test CA the JDK's default trust store (nothing else trusted). */
    private String[] trustStore(TestCertificates certificates) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("test-ca", certificates.caCertificate());
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return new String[] {"-Djavax.net.ssl.trustStore=" + file, "-Djavax.net.ssl.trustStorePassword=changeit",
            "-Djavax.net.ssl.trustStoreType=PKCS12"};
    }
}
