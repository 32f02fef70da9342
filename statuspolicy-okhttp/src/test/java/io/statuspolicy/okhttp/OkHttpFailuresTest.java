package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlinePassed;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.TransportFailure.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import org.junit.jupiter.api.Test;

/** The exceptions OkHttp throws, as the decision function must read them. */
class OkHttpFailuresTest {

    @Test
    void whatNeverReachedTheServerIsAConnectFailure() {
        assertThat(OkHttpFailures.kind(new ConnectException("Failed to connect to /127.0.0.1:9"))).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(OkHttpFailures.kind(new UnknownHostException("nowhere.test"))).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(OkHttpFailures.kind(new ConnectionShutdownException())).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(OkHttpFailures.kind(new StreamResetException(ErrorCode.REFUSED_STREAM)))
                .as("RFC 9113 §8.7: not processed").isEqualTo(Kind.CONNECT_FAILED);
    }

    @Test
    void aStreamResetOfAnotherKindMayHaveBeenProcessed() {
        assertThat(OkHttpFailures.kind(new StreamResetException(ErrorCode.CANCEL))).isEqualTo(Kind.CONNECTION_LOST);
        assertThat(OkHttpFailures.kind(new IOException("unexpected end of stream on http://127.0.0.1/...")))
                .isEqualTo(Kind.CONNECTION_LOST);
    }

    @Test
    void timeoutsAreToldApart() {
        assertThat(OkHttpFailures.kind(new SocketTimeoutException("Connect timed out"))).isEqualTo(Kind.CONNECT_TIMEOUT);
        assertThat(OkHttpFailures.kind(new SocketTimeoutException("timeout"))).isEqualTo(Kind.RESPONSE_TIMEOUT);
        assertThat(OkHttpFailures.kind(new SocketTimeoutException("Read timed out"))).isEqualTo(Kind.RESPONSE_TIMEOUT);
        assertThat(OkHttpFailures.kind(new InterruptedIOException("timeout"))).as("the call timeout")
                .isEqualTo(Kind.RESPONSE_TIMEOUT);
        assertThat(OkHttpFailures.kind(new DeadlinePassed("the call's deadline passed", null)))
                .isEqualTo(Kind.RESPONSE_TIMEOUT);
    }

    @Test
    void cancelsTlsAndProtocolErrors() {
        assertThat(OkHttpFailures.kind(new IOException("Canceled"))).isEqualTo(Kind.CANCELLED);
        assertThat(OkHttpFailures.kind(new SSLHandshakeException("PKIX path building failed"))).isEqualTo(Kind.TLS);
        assertThat(OkHttpFailures.kind(new ProtocolException("Unexpected status line: HTTP/1.1 abc")))
                .isEqualTo(Kind.MALFORMED_RESPONSE);
        assertThat(OkHttpFailures.kind(new IOException("wrapped", new ConnectException("refused"))))
                .as("causes are looked through").isEqualTo(Kind.CONNECT_FAILED);
        assertThat(OkHttpFailures.classify(new IOException("outer", new SocketTimeoutException("Read timed out")))
                .detail()).contains("SocketTimeoutException").contains("Read timed out");
    }
}
