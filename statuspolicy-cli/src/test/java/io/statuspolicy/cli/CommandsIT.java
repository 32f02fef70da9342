package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}, {@code explain}, {@code table} and {@code --help}, run from the real jar. */
class CommandsIT {
    @TempDir
    Path dir;

    @Test
    void demoPlaysEveryRowAndPasses() {
        Cli.Result run = Cli.jar().run("demo", "--width", "250"); // one line per row

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.millis()).isLessThan(30_000);
        String words = run.stdout();
        assertThat(words).contains("503 Service Unavailable", "transport failure", "304 Not Modified",
                "answered from the cache", "fresh credentials", "resent with Content-Length");
        assertThat(run.stdout()).doesNotContain("FAIL");
        assertThat(words).containsPattern("54 rows: 53 behaved as the guideline says, 0 failed");
    }

    @Test
    void explainShowsTheRuleAndTheRetries() {
        Cli.Result run = Cli.jar().run("explain", "503");
        Cli.Result post = Cli.jar().run("explain", "503", "--method", "POST");
        Cli.Result bad = Cli.jar().run("explain", "999");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("503 Service Unavailable", "the guideline says retry (shall)",
                "attempt 2 of 4; waiting 500 ms of backoff", "attempt 4 of 4; waiting 2 s of backoff",
                "gave up: every attempt used", "exits with 4");
        assertThat(post.stdout()).contains("the method is not idempotent", "exits with 3");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void explainReadsAPolicyFile() {
        Path policy = Cli.write(dir.resolve("p.yaml"), "rules:\n  \"503\": { handling: FAIL, grade: MUST_NOT_RETRY }\n");

        Cli.Result run = Cli.jar().run("explain", "503", "--policy", policy.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).contains("says fail without retrying (must not)", "exits with 3");
    }

    @Test
    void tableInEveryFormat() {
        Cli.Result text = Cli.jar().run("table");
        Cli.Result markdown = Cli.jar().run("table", "--format", "markdown");
        Cli.Result json = Cli.jar().run("table", "--format", "json");
        Cli.Result bad = Cli.jar().run("table", "--format", "xml");

        assertThat(text.exitCode()).isZero();
        assertThat(text.stdout()).contains("503 Service Unavailable", "attempts: at most 4 in total");
        assertThat(markdown.stdout()).startsWith("|Status|Handling|Retry|Source|What the client does|");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.stdout()).startsWith("{\"rules\":[{\"key\":\"1xx\"")
                .contains("{\"key\":\"503\",\"title\":\"503 Service Unavailable\",\"class\":false,\"handling\":\"RETRY\"")
                .contains("\"limits\":{\"maxAttempts\":4,\"backoff\":{\"initialDelayMillis\":500,\"multiplier\":2,");
        assertThat(bad.exitCode()).isEqualTo(2);
    }

    @Test
    void demoAndTableFitAHundredColumns_orTheWidthAsked() {
        Cli.Result table = Cli.jar().env("COLUMNS", "").run("table");
        Cli.Result narrow = Cli.jar().env("COLUMNS", "").run("table", "--width", "80");
        Cli.Result columns = Cli.jar().env("COLUMNS", "120").run("table");
        Cli.Result demo = Cli.jar().env("COLUMNS", "").run("demo");

        assertThat(table.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
        assertThat(table.stdout().lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(90);
        assertThat(narrow.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(columns.stdout().lines().mapToInt(String::length).max().orElse(0)).isBetween(101, 120);
        assertThat(demo.exitCode()).as(demo.toString()).isZero();
        assertThat(demo.stdout().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    }

    @Test
    void helpIsWrappedAtWordBoundaries_everySubcommandHasAVersion_andListsOnlyItsOwnExitCodes() {
        Cli.Result request = Cli.jar().run("request", "--help");
        Cli.Result demo = Cli.jar().run("demo", "--help");
        Cli.Result explain = Cli.jar().run("explain", "--help");
        Cli.Result table = Cli.jar().run("table", "--help");

        // Greedy wrapping: a continuation line's first word would not have fitted on the line before.
        List<String> lines = request.stdout().lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
            if (line.startsWith(" ".repeat(31)) && !line.isBlank() && lines.get(i - 1).length() > 31) {
                String first = line.strip().split(" ")[0];
                // picocli leaves the last of the 100 columns free
                assertThat(lines.get(i - 1).length() + 1 + first.length()).as(lines.get(i - 1) + "\n" + line)
                        .isGreaterThan(99);
            }
        }
        for (String sub : List.of("request", "demo", "explain", "table")) {
            Cli.Result version = Cli.jar().run(sub, "-V");
            assertThat(version.exitCode()).isZero();
            assertThat(version.stdout()).as(sub).startsWith("statuspolicy ").contains("Java ");
        }
        assertThat(request.stdout()).contains("Exit codes:", "7  credentials missing");
        assertThat(demo.stdout()).contains("Exit codes:", "0  every row behaved").doesNotContain("credentials missing");
        assertThat(explain.stdout()).contains("Exit codes:", "0  explained").doesNotContain("credentials missing");
        assertThat(table.stdout()).contains("Exit codes:", "0  the table was printed")
                .doesNotContain("credentials missing");
    }

    @Test
    void theJarOpensTheJdkClientsInternalsForTheShutdownAtExit() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(Cli.jarPath().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens"))
                    .isEqualTo("java.net.http/jdk.internal.net.http");
        }
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        Cli.Result top = Cli.jar().run("--help");
        Cli.Result request = Cli.jar().run("request", "--help");
        Cli.Result none = Cli.jar().run();

        assertThat(top.exitCode()).isZero();
        assertThat(top.stdout()).contains("request", "demo", "explain", "table", "Exit codes:",
                "7  credentials missing");
        assertThat(request.stdout()).contains("--max-attempts", "--auth-command", "--idempotency-key", "--state-dir",
                "--trace", "--cacert", "--await-resource", "--retry-delay", "--max-redirs", "--max-time", "-o, --output",
                "-i, --include", "-d, --data", "-H, --header", "-X, --request", "-v, --verbose", "REQUEST_METHOD",
                "Exit codes:");
        assertThat(none.exitCode()).isEqualTo(2);
    }
}
