package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure line names the fix, in this command's options: the real jar against the scripted server. */
class FailureLinesIT {
    private ScriptedServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        server = ScriptedServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String pathAndQuery) {
        return server.uri(pathAndQuery).toString();
    }

    @Test
    void a401WithoutCredentialsNamesTheOptionsThatSupplyThem_andWithWrongOnesSaysTheyWereRefused() {
        server.on("/private", Reply.status(401).header("WWW-Authenticate", "Basic"));

        Cli.Result none = Cli.jar().run("request", url("/private"));
        Cli.Result wrong = Cli.jar().run("request", "-u", "ann:wrong", url("/private"));
        Cli.Result header = Cli.jar().run("request", "-H", "Authorization: Bearer old", url("/private"));

        assertThat(none.exitCode()).as(none.toString()).isEqualTo(7);
        assertThat(none.stderr()).contains("fix: supply credentials with -u USER:PASSWORD, -H 'Authorization: ...'")
                .contains("--auth-command CMD");
        assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(7);
        assertThat(wrong.stderr()).contains("fix: the credentials from -u were refused and cannot be refreshed")
                .doesNotContain("supply credentials");
        assertThat(header.stderr()).contains("the credentials from -H Authorization were refused");
    }

    @Test
    void aPost503NamesIdempotencyKeyAndRetrySafe() {
        server.on("/orders", Reply.status(503));

        Cli.Result run = Cli.jar().run("request", "-d", "{}", url("/orders"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.stderr()).contains("fix: give --idempotency-key KEY|auto").contains("or --retry-safe");
    }

    @Test
    void exhaustedAttemptsAndTheDeadlineNameTheLimitToRaise() {
        server.on("/busy", Reply.status(503));
        server.on("/later", Reply.status(503).header("Retry-After", "30"));
        server.on("/a", Reply.redirect(302, "/b"));
        server.on("/b", Reply.redirect(302, "/c"));

        Cli.Result attempts = Cli.jar().run("request", "--max-attempts", "2", "--retry-delay", "0.01", url("/busy"));
        Cli.Result deadline = Cli.jar().run("request", "--max-time", "2", url("/later"));
        Cli.Result redirects = Cli.jar().run("request", "--max-redirs", "1", url("/a"));

        assertThat(attempts.exitCode()).isEqualTo(4);
        assertThat(attempts.stderr()).contains("fix: raise --max-attempts (or --retry)");
        assertThat(deadline.exitCode()).isEqualTo(4);
        assertThat(deadline.stderr()).contains("fix: raise --max-time above the Retry-After");
        assertThat(redirects.exitCode()).isEqualTo(6);
        assertThat(redirects.stderr()).contains("fix: raise --max-redirs");
    }

    @Test
    void anUnresolvableHostIsAConnectFailureThatNamesTheHost() {
        // No DNS query leaves the machine: the JVM resolves names from this file only.
        Path hosts = Cli.write(dir.resolve("hosts"), "127.0.0.1 localhost\n");

        Cli.Result run = Cli.jar().jvm("-Djdk.net.hosts.file=" + hosts).run("request", "--max-attempts", "2",
                "--retry-delay", "0", "http://no-such-host.test:" + server.port() + "/r");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
        assertThat(run.stderr()).contains("connection failed").contains("cannot resolve the host name no-such-host.test")
                .doesNotContain("UnresolvedAddressException")
                .contains("fix: check the host name no-such-host.test").doesNotContain("raise --max-attempts");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void aTlsFailureIsNotCalledRetryShallNotRetried_andNamesCacert() {
        TestCertificates certificates = TestCertificates.generate();
        try (ScriptedServer tls = ScriptedServer.startTls(certificates)) {
            tls.on("/r", Reply.ok("secure"));

            Cli.Result run = Cli.jar().run("request", tls.uri("/r").toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(5);
            assertThat(run.stderr()).contains("TLS failure").contains("not retried: repeating cannot fix")
                    .contains("fix: --cacert FILE").doesNotContain("retry (shall); not retried");
        }
    }
}
