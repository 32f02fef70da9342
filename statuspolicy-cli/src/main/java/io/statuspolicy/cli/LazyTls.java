package io.statuspolicy.cli;

import java.net.http.HttpClient;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * TLS set up only when a connection is https. Building a JDK {@link HttpClient} without an
 * {@code SSLContext} makes it call {@code SSLContext.getDefault()} at once, which loads the CA
 * store and the JSSE provider: 40-60 ms of start-up, spent even when the request is
 * {@code http:} (issue 13). This context asks for the default one the first time a TLS
 * connection needs it (an https URL, or a redirect to one), and from then on is it.
 *
 * <p>The client also reads its {@link SSLParameters} from the context when it is built, so
 * {@link #parameters()} gives it ones that need no context: the protocols the JDK enables for a
 * client ({@code jdk.tls.client.protocols}, else TLS 1.3 and 1.2: the client offers HTTP/2 only
 * when one of these is listed) and nothing else, which leaves cipher suites, named groups and
 * signature schemes to the default context's engine, as without this class.
 */
final class LazyTls {
    private LazyTls() {
    }

    /** A context that becomes {@code SSLContext.getDefault()} when first used. */
    static SSLContext context() {
        return new Deferred(new Once(() -> {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }));
    }

    /** The client's TLS parameters, made without a context: see the class comment. */
    static SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(clientProtocols(System.getProperty("jdk.tls.client.protocols")));
        return parameters;
    }

    /** The JDK's default client protocols, or the ones {@code jdk.tls.client.protocols} lists. */
    static String[] clientProtocols(String property) {
        if (property != null) {
            String[] listed = Arrays.stream(property.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                    .toArray(String[]::new);
            if (listed.length > 0) {
                return listed;
            }
        }
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }

    /** The default context, asked for once, on first use. */
    private static final class Once implements Supplier<SSLContext> {
        private final Supplier<SSLContext> make;
        private volatile SSLContext made;

        Once(Supplier<SSLContext> make) {
            this.make = make;
        }

        @Override
        public SSLContext get() {
            SSLContext context = made;
            if (context == null) {
                synchronized (this) {
                    context = made;
                    if (context == null) {
                        made = context = make.get();
                    }
                }
            }
            return context;
        }
    }

    private static final class Deferred extends SSLContext {
        Deferred(Supplier<SSLContext> delegate) {
            super(new Spi(delegate), null, "Default");
        }
    }

    /** Every operation is the delegate's; none is asked for before a TLS connection needs it. */
    private static final class Spi extends SSLContextSpi {
        private final Supplier<SSLContext> delegate;

        Spi(Supplier<SSLContext> delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is already initialised");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.get().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.get().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate.get().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate.get().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.get().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.get().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.get().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.get().getSupportedSSLParameters();
        }
    }
}
