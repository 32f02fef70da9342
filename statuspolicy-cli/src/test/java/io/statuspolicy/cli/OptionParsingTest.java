package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.policy.Policy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** picocli's reading of the request options, and how they change the policy. */
class OptionParsingTest {

    private static RequestCommand parse(String... args) {
        CommandLine line = StatusPolicyCli.commandLine();
        CommandLine.ParseResult result = line.parseArgs(args);
        return (RequestCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void everyOptionOfTheTable() {
        RequestCommand command = parse("request", "-X", "PATCH", "-H", "A: 1", "--header", "@h.txt", "-d", "@-",
                "-o", "out.bin", "-i", "--cacert", "ca.pem", "--max-attempts", "5", "--max-time", "7.5",
                "--max-redirs", "3", "--retry-delay", "0.2", "--auth-command", "pass show api", "--idempotency-key",
                "auto", "--await-resource", "30", "--state-dir", "st", "--policy", "p.yaml", "--trace", "t.jsonl",
                "-v", "https://api.example/x");

        assertThat(command.url).isEqualTo("https://api.example/x");
        assertThat(command.method).isEqualTo("PATCH");
        assertThat(command.headers).containsExactly("A: 1", "@h.txt");
        assertThat(command.data).isEqualTo("@-");
        assertThat(command.output).isEqualTo(Path.of("out.bin"));
        assertThat(command.include).isTrue();
        assertThat(command.cacert).isEqualTo(Path.of("ca.pem"));
        assertThat(command.maxAttempts).isEqualTo(5);
        assertThat(command.maxTime).isEqualTo(Duration.ofMillis(7500));
        assertThat(command.maxRedirects).isEqualTo(3);
        assertThat(command.retryDelay).isEqualTo(Duration.ofMillis(200));
        assertThat(command.authCommand).isEqualTo("pass show api");
        assertThat(command.idempotencyKey).isEqualTo("auto");
        assertThat(command.awaitResource).isEqualTo(Duration.ofSeconds(30));
        assertThat(command.stateDir).isEqualTo(Path.of("st"));
        assertThat(command.policyFile).isEqualTo(Path.of("p.yaml"));
        assertThat(command.trace).isEqualTo(Path.of("t.jsonl"));
        assertThat(command.verbose).isTrue();
    }

    @Test
    void onlyTheCommandBeingRunIsBuilt_anythingElseGetsThemAll() {
        assertThat(StatusPolicyCli.commandLine(new String[] {"request", "http://a.test/"}).getSubcommands())
                .containsOnlyKeys("request");
        assertThat(StatusPolicyCli.commandLine(new String[] {"table", "--format", "json"}).getSubcommands())
                .containsOnlyKeys("table");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "request"}, {"-V"}, {"reqest"}}) {
            assertThat(StatusPolicyCli.commandLine(args).getSubcommands().keySet())
                    .containsExactly("request", "demo", "explain", "table", "help");
        }
    }

    @Test
    void limitsFromOptionsChangeThePolicy() {
        RequestCommand command = parse("request", "--max-attempts", "9", "--max-redirs", "0", "--retry-delay", "0.05",
                "http://a.test/");

        Policy policy = command.policy();

        assertThat(policy.limits().maxAttempts()).isEqualTo(9);
        assertThat(policy.limits().maxRedirects()).isZero();
        assertThat(policy.limits().backoff().initialDelay()).isEqualTo(Duration.ofMillis(50));
        // One call per process: the budget lets every attempt asked for happen.
        assertThat(policy.limits().retryBudget().minRetries()).isEqualTo(8);
        assertThat(parse("request", "http://a.test/").policy()).isEqualTo(Policy.guideline());
    }

    @Test
    void curlsRetryIsTheAttemptLimitMinusOne_andRetryMaxTimeTheSmallerDeadline() {
        assertThat(parse("request", "--retry", "3", "http://a.test/").policy().limits().maxAttempts()).isEqualTo(4);
        assertThat(parse("request", "--retry", "0", "http://a.test/").policy().limits().maxAttempts()).isEqualTo(1);
        assertThat(parse("request", "-m", "5", "--retry-max-time", "2", "http://a.test/").deadline())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(parse("request", "--max-time", "1.5", "--retry-max-time", "9", "http://a.test/").deadline())
                .isEqualTo(Duration.ofMillis(1500));
        assertThat(parse("request", "http://a.test/").deadline()).isNull();
        assertThatThrownBy(() -> parse("request", "--retry", "-1", "http://a.test/").policy())
                .hasMessageContaining("--retry");
    }

    @Test
    void clusteredCurlFlags() {
        RequestCommand command = parse("request", "-fsSLk", "-I", "http://a.test/");

        assertThat(command.failOnError).isTrue();
        assertThat(command.silent).isTrue();
        assertThat(command.showError).isTrue();
        assertThat(command.location).isTrue();
        assertThat(command.insecure).isTrue();
        assertThat(command.head).isTrue();
    }

    @Test
    void aUrlWithoutASchemeIsHttp() {
        assertThat(RequestCommand.parseUrl("example.org/a?b=1")).isEqualTo(java.net.URI.create("http://example.org/a?b=1"));
        assertThat(RequestCommand.parseUrl("localhost:8080/x")).isEqualTo(java.net.URI.create("http://localhost:8080/x"));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(() -> parse("request", "--max-time", "-1", "http://a.test/"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--max-time");
        assertThatThrownBy(() -> parse("request", "--max-attempts", "0", "http://a.test/").policy())
                .isInstanceOf(ExitCodes.UsageException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> RequestCommand.parseUrl("file:///etc/passwd")).hasMessageContaining("http: or https:");
        assertThatThrownBy(() -> RequestCommand.parseUrl("http://")).isInstanceOf(ExitCodes.UsageException.class);
    }

    @Test
    void userinfoIsTakenOutOfTheUrl() {
        assertThat(RequestCommand.withoutUserInfo(java.net.URI.create("https://u:p%40ss@h.test:8443/a?b=c#d")))
                .isEqualTo(java.net.URI.create("https://h.test:8443/a?b=c#d"));
    }

    @Test
    void usageErrorsExitWith2AndNameTheProblem() {
        StringWriter err = new StringWriter();
        int code = StatusPolicyCli.run(new String[] {"request", "--max-redirs"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--max-redirs").contains("Try 'statuspolicy request --help'");
    }
}
