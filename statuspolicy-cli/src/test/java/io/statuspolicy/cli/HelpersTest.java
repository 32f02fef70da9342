package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.DelayBasis;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON escaping, the proxy environment, exit codes and the countdown's words. */
class HelpersTest {

    @Test
    void jsonEscapesWhatRfc8259Requires() {
        assertThat(Json.quote("a\"b\\c\nd\u0001\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\\u2028\"");
        assertThat(Json.object().field("s", "x").field("n", 3).field("b", true).field("z", (String) null)
                .raw("o", Json.object().end()).end()).isEqualTo("{\"s\":\"x\",\"n\":3,\"b\":true,\"z\":null,\"o\":{}}");
    }

    @Test
    void httpoxy_upperCaseHttpProxyIsIgnoredUnderCgi() {
        assertThat(EnvironmentProxy.from(Map.of("REQUEST_METHOD", "GET", "HTTP_PROXY", "http://evil:3128"))).isNull();
        EnvironmentProxy lower = EnvironmentProxy.from(Map.of("REQUEST_METHOD", "GET", "http_proxy", "http://p:3128"));
        assertThat(lower.proxyFor(URI.create("http://a.test/"))).isEqualTo(URI.create("http://p:3128"));
        EnvironmentProxy upper = EnvironmentProxy.from(Map.of("HTTP_PROXY", "p:8080"));
        assertThat(upper.select(URI.create("http://a.test/"))).singleElement()
                .satisfies(proxy -> assertThat(proxy.type()).isEqualTo(Proxy.Type.HTTP));
        assertThat(upper.proxyFor(URI.create("https://a.test/"))).isNull(); // https_proxy not set
    }

    @Test
    void noProxyMatchesHostsAndTheirSubdomains() {
        EnvironmentProxy proxy = EnvironmentProxy.from(Map.of("https_proxy", "http://p:1", "no_proxy", "internal, .corp.test"));

        assertThat(proxy.proxyFor(URI.create("https://internal/x"))).isNull();
        assertThat(proxy.proxyFor(URI.create("https://a.corp.test/x"))).isNull();
        assertThat(proxy.proxyFor(URI.create("https://corp.test.evil/x"))).isNotNull();
        assertThatThrownBy(() -> EnvironmentProxy.from(Map.of("http_proxy", "socks5://p:1")))
                .hasMessageContaining("expected a proxy URL");
    }

    @Test
    void exitCodesFollowTheContract() {
        Policy policy = Policy.guideline();
        assertThat(ExitCodes.of(new Decision.Complete(policy.rule(200), 200), 200)).isZero();
        assertThat(ExitCodes.of(new Decision.UseCachedCopy(policy.rule(304), 304), 200)).isZero();
        assertThat(ExitCodes.of(new Decision.Fail(policy.rule(404), 404, FailureReason.NOT_AWAITED, null, null), 404))
                .isEqualTo(3);
        assertThat(ExitCodes.of(new Decision.Fail(policy.rule(503), 503, FailureReason.ATTEMPTS_EXHAUSTED, null, null),
                503)).isEqualTo(4);
        assertThat(ExitCodes.of(new Decision.Fail(policy.rule(302), 302, FailureReason.REDIRECT_LOOP, null, null), 302))
                .isEqualTo(6);
        assertThat(ExitCodes.of(new Decision.Fail(policy.rule(401), 401, FailureReason.CREDENTIALS_REFUSED_AGAIN, null,
                null), 401)).isEqualTo(7);
        assertThat(ExitCodes.of(new IOException("reset"))).isEqualTo(5);
        assertThat(ExitCodes.of(new HttpTimeoutException("deadline"))).isEqualTo(4);
        assertThat(ExitCodes.of(new ExitCodes.UsageException("bad"))).isEqualTo(2);
        assertThat(ExitCodes.of(new IOException(new ExitCodes.LocalException("disk full", null)))).isEqualTo(1);
        assertThat(ExitCodes.of(new RequestCommand.CredentialsMissing("no token"))).isEqualTo(7);
    }

    @Test
    void countdownSaysWhatIsAwaitedInWholeSeconds() {
        Policy policy = Policy.guideline();
        Decision retry = new Decision.Retry(policy.rule(503), 503, null, 12_000, DelayBasis.RETRY_AFTER, 2, 4, null);
        Decision awaiting = new Decision.Retry(policy.rule(404), 404, null, 3_000, DelayBasis.AWAITING_RESOURCE, 3, 0, null);

        assertThat(Countdown.text(retry, 11_200)).isEqualTo("503 Service Unavailable: retrying in 12 s, attempt 2 of 4");
        assertThat(Countdown.text(awaiting, 2_000)).isEqualTo("404 Not Found: awaiting the resource, trying again in 2 s, attempt 3");
    }

    @Test
    void outputToADeviceIsWrittenDirectlyNeverRenamedOver() {
        // Only inspects the choice: nothing is opened or written here.
        assertThat(ResponseOutput.file(java.nio.file.Path.of("/dev/null"), false).getClass().getSimpleName())
                .isEqualTo("Direct");
        assertThat(ResponseOutput.file(java.nio.file.Path.of("no-such-file.bin"), false).getClass().getSimpleName())
                .isEqualTo("ToFile");
    }

    @Test
    void theEndOfRunHookLeavesNoPartialFileWhateverMomentItRunsAt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("download.bin");
        java.nio.file.Files.writeString(file, "the old copy");

        // The signal lands mid-body: the hook removes the partial file, and a commit that comes
        // after it (the download thread finishing its last buffer) does not rename anything.
        ResponseOutput mid = ResponseOutput.file(file, false);
        mid.open().write("new".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(partFiles(dir)).hasSize(1);
        ((ResponseOutput.ToFile) mid).endOfRun();
        assertThat(partFiles(dir)).isEmpty();
        assertThatThrownBy(mid::commit).isInstanceOf(java.io.IOException.class).hasMessageContaining("left as it was");
        mid.discard();

        // The signal lands before the response's head: no partial file is made at all.
        ResponseOutput early = ResponseOutput.file(file, false);
        ((ResponseOutput.ToFile) early).endOfRun();
        assertThatThrownBy(early::open).isInstanceOf(java.io.IOException.class).hasMessageContaining("left as it was");
        assertThat(partFiles(dir)).isEmpty();
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("the old copy");
    }

    private static List<java.nio.file.Path> partFiles(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void demoHasAScenarioForEveryRowAndTheTransportRule() {
        Policy policy = DemoCommand.POLICY;
        List<DemoCommand.Scenario> scenarios = DemoCommand.scenarios(policy);

        assertThat(scenarios).hasSize(policy.table().size() + 1);
        assertThat(scenarios).extracting(DemoCommand.Scenario::rule).containsAll(policy.table());
    }

    @Test
    void theCommandLineTurnsTheJdkRetriesOff() {
        StatusPolicyCli.commandLine(); // building the tree does not change anything
        StatusPolicyCli.run(new String[] {"--version"}, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertThat(System.getProperty("jdk.httpclient.disableRetryConnect")).isEqualTo("true");
        assertThat(PolicyHttpClient.disableJdkRetries()).isTrue();
    }
}
