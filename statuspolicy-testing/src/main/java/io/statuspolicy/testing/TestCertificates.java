package io.statuspolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * Throwaway TLS material for one test run: a root CA and a server certificate it signed, for
 * {@code localhost} and {@code 127.0.0.1}, made with okhttp-tls {@code HeldCertificate} (ECDSA
 * P-256 keys, valid for one day from now on the real clock). Nothing touches the JDK's trust
 * store: only clients given {@link #clientContext()} (or {@link #clientTrustManager()}, or the
 * PEM from {@link #writeCaPem(Path)}) trust the server. Immutable and thread-safe.
 */
public final class TestCertificates {

    /** File name used by {@link #writeCaPem(Path)}. */
    public static final String CA_PEM_FILE_NAME = "statuspolicy-testing-ca.pem";

    private final HeldCertificate root;
    private final HandshakeCertificates server;
    private final HandshakeCertificates client;

    private TestCertificates(HeldCertificate root, HeldCertificate serverCertificate) {
        this.root = root;
        this.server = new HandshakeCertificates.Builder()
                .heldCertificate(serverCertificate, root.certificate())
                .build();
        this.client = new HandshakeCertificates.Builder()
                .addTrustedCertificate(root.certificate())
                .build();
    }

    /** Makes a new root CA and a server certificate for {@code localhost} and {@code 127.0.0.1}. */
    public static TestCertificates generate() {
        HeldCertificate root = new HeldCertificate.Builder()
                .certificateAuthority(0)
                .commonName("statuspolicy-testing root CA")
                .duration(1, TimeUnit.DAYS)
                .build();
        HeldCertificate serverCertificate = new HeldCertificate.Builder()
                .signedBy(root)
                .commonName("localhost")
                .addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1")
                .duration(1, TimeUnit.DAYS)
                .build();
        return new TestCertificates(root, serverCertificate);
    }

    /**
     * A TLS context for clients that trusts only this root CA, for example
     * {@code HttpClient.newBuilder().sslContext(certificates.clientContext())}.
     */
    public SSLContext clientContext() {
        return client.sslContext();
    }

    /**
     * The trust manager behind {@link #clientContext()}, for clients that want one with their
     * socket factory (OkHttp's {@code sslSocketFactory(factory, trustManager)}).
     */
    public X509TrustManager clientTrustManager() {
        return client.trustManager();
    }

    /** The socket factory a server uses to present the server certificate (and the CA above it). */
    public SSLSocketFactory serverSocketFactory() {
        return server.sslSocketFactory();
    }

    /** The root CA certificate. */
    public X509Certificate caCertificate() {
        return root.certificate();
    }

    /**
     * Writes the root CA certificate as PEM to {@value #CA_PEM_FILE_NAME} in {@code directory}
     * (replacing such a file), for a command line's {@code --cacert}.
     *
     * @return the file written
     */
    public Path writeCaPem(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path file = directory.resolve(CA_PEM_FILE_NAME);
        try {
            return Files.writeString(file, root.certificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the CA certificate to " + file, e);
        }
    }
}
