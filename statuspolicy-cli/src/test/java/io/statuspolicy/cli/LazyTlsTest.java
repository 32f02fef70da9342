package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LazyTlsTest {
    @Test
    void theClientProtocolsAreTheJdkDefaultsUnlessThePropertyListsSome() {
        assertThat(LazyTls.clientProtocols(null)).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(LazyTls.clientProtocols(" , ")).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(LazyTls.clientProtocols("TLSv1.2, TLSv1.3")).containsExactly("TLSv1.2", "TLSv1.3");
    }

    @Test
    void theDeferredContextAsksForTheDefaultOnlyWhenUsed() throws Exception {
        javax.net.ssl.SSLContext context = LazyTls.context();
        assertThat(context.getProtocol()).isEqualTo("Default");
        // First use: the engine is the default context's.
        assertThat(context.createSSLEngine("localhost", 443).getPeerHost()).isEqualTo("localhost");
        assertThat(context.getDefaultSSLParameters().getProtocols())
                .isEqualTo(javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getProtocols());
    }
}
