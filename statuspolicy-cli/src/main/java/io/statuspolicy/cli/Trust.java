package io.statuspolicy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** {@code --cacert FILE}: trust exactly the CA certificates in a PEM file, as curl does. */
final class Trust {
    private Trust() {
    }

    /**
     * {@code -k}: an SSL context that accepts any certificate. The host name check is switched
     * off separately (a JDK client system property); the command prints a warning.
     */
    static SSLContext insecure() {
        javax.net.ssl.X509TrustManager acceptAll = new javax.net.ssl.X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                    java.net.Socket socket) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                    java.net.Socket socket) {
            }

            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType,
                    javax.net.ssl.SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType,
                    javax.net.ssl.SSLEngine engine) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {acceptAll}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the TLS context for -k", e);
        }
    }

    /** An SSL context that trusts the certificates in {@code pem} and nothing else. */
    static SSLContext fromPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ExitCodes.UsageException("--cacert " + pem + ": no certificate found in the file");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new ExitCodes.UsageException("--cacert " + pem + ": cannot read the file (" + e.getClass().getSimpleName()
                    + ")", e);
        } catch (GeneralSecurityException e) {
            throw new ExitCodes.UsageException("--cacert " + pem + ": not a PEM file of certificates ("
                    + e.getMessage() + ")", e);
        }
    }
}
