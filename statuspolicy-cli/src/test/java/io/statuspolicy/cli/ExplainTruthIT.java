package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * {@code explain} tells the truth: it is run for every status from 100 to 599 (and transport),
 * and for every row of the table its claims (the exit code, how many requests) are compared with
 * what {@code request} does when the scripted server answers that status to every attempt.
 */
class ExplainTruthIT {
    private static final Pattern SECTION = Pattern.compile("(?m)^(?=[1-5]\\d\\d( |$)|No response)");
    private static final Pattern EXIT = Pattern.compile("exits with (\\d)");

    /** One status's explanation: its text, and its first walk (the request as plainly given). */
    record Explained(String text, List<String> requests, int exitCode, boolean followsRedirect) {
        static Explained of(String text) {
            List<String> requests = new ArrayList<>();
            int exit = -1;
            boolean follows = false;
            for (String line : text.lines().toList()) {
                if (line.startsWith("  request ")) {
                    requests.add(line);
                } else if (line.startsWith("  => ")) {
                    Matcher m = EXIT.matcher(line);
                    exit = m.find() ? Integer.parseInt(m.group(1)) : -1;
                    follows = line.contains("follows the redirect");
                    break; // the first walk only: a 304's other walks come after
                }
            }
            return new Explained(text, requests, exit, follows);
        }
    }

    private static Map<String, Explained> explainAll() {
        List<String> args = new ArrayList<>(List.of("explain"));
        IntStream.rangeClosed(100, 599).mapToObj(Integer::toString).forEach(args::add);
        args.add("transport");
        Cli.Result run = Cli.jar().run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Map<String, Explained> byStatus = new LinkedHashMap<>();
        for (String section : SECTION.split(run.stdout())) {
            if (!section.isBlank()) {
                byStatus.put(section.startsWith("No response") ? "transport" : section.substring(0, 3),
                        Explained.of(section));
            }
        }
        return byStatus;
    }

    @Test
    void everyStatusIsExplainedWithoutClaimingRetriesThatDoNotHappen() {
        Map<String, Explained> all = explainAll();

        assertThat(all).hasSize(501);
        SoftAssertions soft = new SoftAssertions();
        all.forEach((status, e) -> {
            soft.assertThat(e.text()).as(status).doesNotContain("GUIDELINE.md");
            soft.assertThat(e.requests()).as(status).isNotEmpty();
            soft.assertThat(e.exitCode() >= 0 || e.followsRedirect()).as(status + "\n" + e.text()).isTrue();
            if (e.text().contains("(must not)\n")) {
                soft.assertThat(e.text()).as(status).contains("  retries: none (must not)")
                        .doesNotContain("as many as the attempt limit allows");
                soft.assertThat(e.requests()).as(status).hasSize(1);
            }
            if (e.text().contains("  retries: none")) {
                soft.assertThat(e.requests()).as(status + "\n" + e.text()).hasSize(1);
            }
        });
        soft.assertAll();
    }

    @Test
    void whatExplainClaimsIsWhatRequestDoes_rowByRow() {
        Map<String, Explained> all = explainAll();
        Cli.Result json = Cli.jar().run("table", "--format", "json");
        List<Integer> statuses = new ArrayList<>();
        Matcher key = Pattern.compile("\"key\":\"(\\d{3})\"").matcher(json.stdout());
        while (key.find()) {
            statuses.add(Integer.parseInt(key.group(1)));
        }
        statuses.addAll(List.of(299, 399, 499, 599)); // the class rules, through statuses without a row
        statuses = new ArrayList<>(new java.util.LinkedHashSet<>(statuses)); // the transport rule's key is 503's
        statuses.removeIf(s -> s < 200); // 1xx: the JDK's HTTP stack handles interim responses itself

        SoftAssertions soft = new SoftAssertions();
        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/elsewhere", Reply.ok("moved here"));
            for (int status : statuses) {
                String path = "/s/" + status;
                Reply reply = Reply.status(status);
                if (status / 100 == 3) {
                    reply = reply.header("Location", "/elsewhere");
                }
                server.on(path, reply);
                List<String> args = new ArrayList<>(List.of("request", "-s", "--retry-delay", "0.001"));
                if (status == 401 || status == 403) {
                    // explain assumes a credential source that can give fresh credentials
                    args.addAll(List.of("--auth-command", "echo \"Bearer $(date +%s%N)\""));
                }
                args.add(server.uri(path).toString());
                int before = server.requests("/elsewhere").size();

                Cli.Result run = Cli.jar().run(args.toArray(String[]::new));

                Explained e = all.get(Integer.toString(status));
                String what = status + ": explain said\n" + e.text() + "\nrequest did " + run;
                if (e.followsRedirect()) {
                    soft.assertThat(server.requests("/elsewhere").size()).as(what).isEqualTo(before + 1);
                    soft.assertThat(server.requests(path)).as(what).hasSize(1);
                } else {
                    soft.assertThat(run.exitCode()).as(what).isEqualTo(e.exitCode());
                    soft.assertThat(server.requests(path)).as(what).hasSize(e.requests().size());
                }
            }
        }
        soft.assertAll();
    }
}
