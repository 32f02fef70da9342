package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a request loads, and from where (issue 13's start-up): with a class-data-sharing archive
 * made by the launcher's training run ({@link CacheTraining}), every class of the command line
 * and of picocli comes from the archive (picocli's own jar has Java 5 class files, which no
 * archive stores), no annotation proxy is generated (the request's picocli model is built in
 * code), and nothing that only another command or option uses is loaded: no YAML parser without
 * {@code --policy}, no MockWebServer, OkHttp or Kotlin (those serve {@code demo}).
 */
class ClassCacheIT {
    @TempDir
    Path dir;

    @Test
    void aRequestLoadsOnlyWhatItUsesAndAllOfOursFromTheArchive() throws IOException {
        Path archive = dir.resolve("training.jsa");
        Cli.Result training = Cli.jar().jvm("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off").mainClass("io.statuspolicy.cli.CacheTraining").run();
        assertThat(training.exitCode()).as(training.toString()).isZero();
        assertThat(archive).isNotEmptyFile();

        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/r", Reply.ok("body"));
            Path log = dir.resolve("request.log");

            Cli.Result run = Cli.jar().jvm("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load:file=" + log)
                    .run("request", server.uri("/r").toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.stdout()).isEqualTo("body");
            List<String> classes = Files.readAllLines(log);
            assertThat(classes).as("the archive was used").anyMatch(line -> line.contains(" picocli.CommandLine ")
                    && line.contains("shared objects file"));
            assertThat(classes.stream().filter(line -> line.contains(" picocli.") || line.contains(" io.statuspolicy.")))
                    .as("picocli's and our classes, all from the archive").isNotEmpty()
                    .allMatch(line -> line.contains("source: shared objects file"));
            assertThat(classes).as("no annotation proxies").noneMatch(line -> line.contains("$Proxy"));
            assertThat(classes).as("nothing of demo's or --policy's")
                    .noneMatch(line -> line.contains(" org.snakeyaml."))
                    .noneMatch(line -> line.contains(" kotlin."))
                    .noneMatch(line -> line.contains(" okhttp3."))
                    .noneMatch(line -> line.contains(" mockwebserver3."));
        }
    }

    @Test
    void theYamlParserLoadsWithPolicyOnly() throws IOException {
        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/r", Reply.ok("body"));
            Path policy = Cli.write(dir.resolve("policy.yaml"), "limits:\n  maxAttempts: 2\n");
            Path log = dir.resolve("policy.log");

            Cli.Result run = Cli.jar().jvm("-Xlog:class+load:file=" + log)
                    .run("request", "--policy", policy.toString(), server.uri("/r").toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(Files.readAllLines(log)).anyMatch(line -> line.contains(" org.snakeyaml."));
        }
    }
}
