package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl's common options, with curl's meaning: the real jar against the scripted server. */
class CurlOptionsIT {
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
    void silentDropsTheFailureLine_showErrorBringsItBack_andLocationIsAccepted() {
        server.on("/missing", Reply.status(404).body("gone"));

        Cli.Result silent = Cli.jar().run("request", "-s", url("/missing"));
        Cli.Result shown = Cli.jar().run("request", "-sSL", url("/missing"));

        assertThat(silent.exitCode()).as(silent.toString()).isEqualTo(3);
        assertThat(silent.stderr()).isEmpty();
        assertThat(silent.stdout()).isEqualTo("gone");
        assertThat(shown.exitCode()).as(shown.toString()).isEqualTo(3);
        assertThat(shown.stderr()).contains("404 Not Found");
    }

    @Test
    void failKeepsTheErrorBodyOffStandardOutput_butNotASuccessfulOne() {
        server.on("/missing", Reply.status(404).body("the error page"));
        server.on("/r", Reply.ok("fine"));

        Cli.Result error = Cli.jar().run("request", "-f", "-i", url("/missing"));
        Cli.Result ok = Cli.jar().run("request", "--fail", url("/r"));

        assertThat(error.exitCode()).as(error.toString()).isEqualTo(3);
        assertThat(error.stdout()).isEmpty();
        assertThat(error.stderr()).contains("404 Not Found");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.stdout()).isEqualTo("fine");
    }

    @Test
    void headSendsHeadAndPrintsTheHeaders() {
        server.on("/r", Reply.ok("body never sent").header("X-Version", "7"));

        Cli.Result run = Cli.jar().run("request", "-I", url("/r"));
        Cli.Result withData = Cli.jar().run("request", "-I", "-d", "x", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("X-Version: 7\r\n")
                .doesNotContain("body never sent");
        assertThat(withData.exitCode()).isEqualTo(2);
        assertThat(withData.stderr()).contains("-I sends a HEAD request");
        assertThat(server.requests("/r")).singleElement().extracting(RecordedExchange::method).isEqualTo("HEAD");
    }

    @Test
    void userSendsBasicToTheOriginOnly_notAcrossARedirectToAnother() {
        try (ScriptedServer other = ScriptedServer.start()) {
            other.on("/there", Reply.ok("moved"));
            server.on("/here", Reply.redirect(302, other.uri("/there").toString()));
            server.on("/r", Reply.ok("mine"));

            Cli.Result direct = Cli.jar().run("request", "-u", "ann:pa:ss", url("/r"));
            Cli.Result redirected = Cli.jar().run("request", "-v", "--user", "ann:pa:ss", url("/here"));
            Cli.Result noPassword = Cli.jar().run("request", "-u", "ann", url("/r"));
            Cli.Result twoWays = Cli.jar().run("request", "-u", "a:b", "-H", "Authorization: Bearer x", url("/r"));

            String basic = "Basic " + Base64.getEncoder().encodeToString("ann:pa:ss".getBytes(StandardCharsets.UTF_8));
            assertThat(direct.exitCode()).as(direct.toString()).isZero();
            assertThat(server.requests("/r")).singleElement().extracting(e -> e.header("Authorization"))
                    .isEqualTo(basic);
            assertThat(redirected.exitCode()).as(redirected.toString()).isZero();
            assertThat(redirected.stdout()).isEqualTo("moved");
            assertThat(server.requests("/here")).singleElement().extracting(e -> e.header("Authorization"))
                    .isEqualTo(basic);
            assertThat(other.requests("/there")).singleElement().extracting(e -> e.header("Authorization")).isNull();
            assertThat(redirected.stderr()).doesNotContain("pa:ss").doesNotContain(basic.substring(6));
            assertThat(noPassword.exitCode()).isEqualTo(2);
            assertThat(noPassword.stderr()).contains("expected USER:PASSWORD");
            assertThat(twoWays.exitCode()).isEqualTo(2);
            assertThat(twoWays.stderr()).contains("give credentials one way");
        }
    }

    @Test
    void retryNMeansNRetries_andCannotBeGivenWithMaxAttempts() {
        server.on("/busy", Reply.status(503));

        Cli.Result run = Cli.jar().run("request", "--retry", "2", "--retry-delay", "0.01", url("/busy"));
        Cli.Result none = Cli.jar().run("request", "--retry", "0", url("/busy"));
        Cli.Result both = Cli.jar().run("request", "--retry", "2", "--max-attempts", "3", url("/busy"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr()).contains("(3 of 3 attempts)").contains("[3 requests, 2 retries");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(4);
        assertThat(none.stderr()).contains("[1 request, 0 retries");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(server.requests("/busy")).hasSize(4);
    }

    @Test
    void retryMaxTimeIsTheDeadlineForRetries() {
        server.on("/later", Reply.status(503).header("Retry-After", "30"));

        Cli.Result run = Cli.jar().run("request", "--retry", "5", "--retry-max-time", "2", url("/later"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(4);
        assertThat(run.stderr()).contains("Retry-After is longer than the time left");
        assertThat(run.millis()).isLessThan(10_000);
        assertThat(server.requests("/later")).hasSize(1);
    }

    @Test
    void connectTimeoutUserAgentAndASchemelessUrl() {
        server.on("/r", Reply.ok("plain"));

        Cli.Result run = Cli.jar().run("request", "--connect-timeout", "2", "-A", "probe/1.0",
                "127.0.0.1:" + server.port() + "/r");
        Cli.Result badTimeout = Cli.jar().run("request", "--connect-timeout", "0", url("/r"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("plain");
        assertThat(server.requests("/r")).singleElement().extracting(e -> e.header("User-Agent"))
                .isEqualTo("probe/1.0");
        assertThat(badTimeout.exitCode()).isEqualTo(2);
    }

    @Test
    void writeOutPrintsCurlsVariablesAndTheAttemptsAfterTheBody() {
        server.on("/old", Reply.redirect(302, "/flaky?token=s3cr3t"));
        server.on("/flaky", Reply.status(503), Reply.ok("done"));
        server.on("/nothing", Reply.status(404));

        Cli.Result run = Cli.jar().run("request", "--retry-delay", "0.01", "-w",
                "\\n%{http_code} %{num_redirects} %{num_retries} %{statuspolicy_attempts} %{exitcode} %{url_effective}"
                        + " %{time_total}", url("/old"));
        Cli.Result failed = Cli.jar().run("request", "-s", "-w", "%{http_code}|%{exitcode}", url("/nothing"));
        Cli.Result unknown = Cli.jar().run("request", "-w", "%{size_download}", url("/old"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).matches("done\n200 1 1 3 0 " + java.util.regex.Pattern.quote(url("/flaky?token=***"))
                + " \\d+\\.\\d{6}");
        assertThat(failed.exitCode()).isEqualTo(3);
        assertThat(failed.stdout()).endsWith("404|3");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown variable %{size_download}");
    }

    @Test
    void insecureAcceptsAnUntrustedCertificateWithAWarning() {
        TestCertificates certificates = TestCertificates.generate();
        try (ScriptedServer tls = ScriptedServer.startTls(certificates)) {
            tls.on("/r", Reply.ok("secure enough"));

            Cli.Result insecure = Cli.jar().run("request", "-k", tls.uri("/r").toString());
            Cli.Result checked = Cli.jar().run("request", tls.uri("/r").toString());

            assertThat(insecure.exitCode()).as(insecure.toString()).isZero();
            assertThat(insecure.stdout()).isEqualTo("secure enough");
            assertThat(insecure.stderr()).contains("warning: -k");
            assertThat(checked.exitCode()).as(checked.toString()).isEqualTo(5);
        }
    }

    @Test
    void retrySafeLetsAPostBeRetried() {
        server.on("/orders", Reply.status(503), Reply.status(201).body("{\"id\":7}"));

        Cli.Result run = Cli.jar().run("request", "--retry-safe", "--retry-delay", "0.01", "-d", "{}", url("/orders"));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("{\"id\":7}");
        assertThat(server.requests("/orders")).hasSize(2);
    }

    @Test
    void aCurlOptionNotOfferedNamesTheEquivalent_andAnUnknownOneIsTheOnlyThingReported() {
        Cli.Result cookie = Cli.jar().run("request", "-b", "session=1", url("/r"));
        Cli.Result connrefused = Cli.jar().run("request", "--retry-connrefused", url("/r"));
        Cli.Result unknown = Cli.jar().run("request", "--frobnicate", "3", url("/r"));

        assertThat(cookie.exitCode()).isEqualTo(2);
        assertThat(cookie.stderr()).contains("curl's -b is not offered: use -H 'Cookie: name=value'")
                .doesNotContain(url("/r"));
        assertThat(connrefused.stderr()).contains("a refused connection is retried");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown option '--frobnicate'").doesNotContain(url("/r"))
                .doesNotContain("'3'");
        assertThat(server.requestCount()).isZero();
    }
}
