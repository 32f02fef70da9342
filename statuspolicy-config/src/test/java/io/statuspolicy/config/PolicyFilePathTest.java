package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.statuspolicy.policy.Policy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PolicyFile#read(Path)}: the file's name in every message. */
class PolicyFilePathTest {

    @TempDir
    Path dir;

    @Test
    void readsAFileWrittenByWrite() throws Exception {
        Policy policy = Policy.guideline().withLimits(l -> l.withMaxAttempts(2));
        Path file = Files.writeString(dir.resolve("team-policy.yaml"), PolicyFile.write(policy));
        assertThat(PolicyFile.read(file)).isEqualTo(policy);
    }

    @Test
    void anErrorInAFileNamesTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("broken-policy.yaml"), "limits:\n  maxAttempts: three\n");
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> PolicyFile.read(file));
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.getMessage()).startsWith(file + ":2:16: limits.maxAttempts: ");
    }

    @Test
    void aMissingFileNamesTheFile() {
        Path missing = dir.resolve("no-such-policy.yaml");
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> PolicyFile.read(missing));
        assertThat(e.source()).isEqualTo(missing.toString());
        assertThat(e.line()).isZero();
        assertThat(e.column()).isZero();
        assertThat(e.found()).isEqualTo("no such file");
        assertThat(e.getMessage()).isEqualTo(missing + ": expected a readable UTF-8 file, found no such file");
    }

    @Test
    void aFileThatIsNotUtf8IsAPolicyFileException() throws Exception {
        Path file = Files.write(dir.resolve("latin1.yaml"),
                "rules:\n  \"404\": { description: \"Sidan hittades inte: \u00e5\" }\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> PolicyFile.read(file));
        assertThat(e.getMessage()).startsWith(file + ": expected a readable UTF-8 file");
        assertThat(e.found()).isEqualTo("bytes that are not UTF-8 text");
    }

    @Test
    void aDirectoryIsAPolicyFileException() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class, () -> PolicyFile.read(dir));
        assertThat(e.source()).isEqualTo(dir.toString());
        assertThat(e.getMessage()).startsWith(dir + ": expected a readable UTF-8 file, found ");
    }
}
