package io.statuspolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.statuspolicy.policy.Policy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy file's {@code redis:} section (issue 12). */
class RedisSectionTest {

    @Test
    void aFullSectionReadsIntoSettingsAndLeavesThePolicyAlone() {
        String yaml = """
                limits:
                  maxAttempts: 2
                redis:
                  uri: redis://:s3cret@redis.internal:6380/2
                  keyPrefix: "sp:orders:"
                  commandTimeout: 20ms
                  connectTimeout: 2s
                  skipFor: 10s
                  share: [holds, circuits]
                  responseTtl: 10m
                  maxEntryBytes: 65536
                """;

        RedisSettings settings = PolicyFile.readRedis(yaml, "policy.yaml").orElseThrow();

        assertThat(settings).isEqualTo(new RedisSettings("redis://:s3cret@redis.internal:6380/2", "sp:orders:",
                Duration.ofMillis(20), Duration.ofSeconds(2), Duration.ofSeconds(10),
                EnumSet.of(RedisSettings.Shared.HOLDS, RedisSettings.Shared.CIRCUITS), Duration.ofMinutes(10), 65536));
        assertThat(settings.toString()).doesNotContain("s3cret").contains("redis://***@redis.internal:6380/2");
        assertThat(PolicyFile.read(yaml, "policy.yaml"))
                .isEqualTo(Policy.guideline().withLimits(l -> l.withMaxAttempts(2)));
    }

    @Test
    void onlyAUriTakesTheDefaultsAndNoSectionIsEmpty() {
        assertThat(PolicyFile.readRedis("redis:\n  uri: redis://localhost\n", "p"))
                .contains(RedisSettings.of("redis://localhost"));
        assertThat(RedisSettings.of("redis://localhost").share()).containsExactlyInAnyOrder(
                RedisSettings.Shared.HOLDS, RedisSettings.Shared.REDIRECTS, RedisSettings.Shared.RESPONSES);
        assertThat(PolicyFile.readRedis("limits: { maxAttempts: 2 }\n", "p")).isEqualTo(Optional.empty());
        assertThat(PolicyFile.readRedis("", "p")).isEmpty();
    }

    @Test
    void badValuesNameTheKeyLineAndColumn() {
        assertError("redis:\n  uri: redis://x\n  comandTimeout: 20ms\n", 3, 3, "redis.comandTimeout",
                "one of the keys uri, keyPrefix, commandTimeout", "\"comandTimeout\"");
        assertError("redis:\n  uri: redis://x\n  commandTimeout: 30s\n", 3, 19, "redis.commandTimeout",
                "commandTimeout from 1 ms to 10000 ms", "\"30s\"");
        assertError("redis:\n  uri: http://x\n", 2, 8, "redis.uri", "a URI such as redis://host:6379", "\"http://x\"");
        assertError("redis:\n  commandTimeout: 20ms\n", 2, 3, "redis.uri", "a uri such as redis://host:6379", "no uri");
        assertError("redis:\n  uri: redis://x\n  share: [holds, cookies]\n", 3, 18, "redis.share",
                "a list of holds, redirects, responses, circuits", "\"cookies\"");
        assertError("redis:\n  uri: redis://x\n  keyPrefix: \"a b\"\n", 3, 14, "redis.keyPrefix",
                "a key prefix of 1 to 100 visible ASCII characters", "\"a b\"");
    }

    @Test
    void readingThePolicyReportsABadRedisSectionToo() {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.read("redis:\n  uri: redis://x\n  skipFor: forever\n", "p.yaml"));
        assertThat(e.key()).isEqualTo("redis.skipFor");
        assertThat(e.getMessage()).startsWith("p.yaml");
    }

    private static void assertError(String yaml, int line, int column, String key, String expected, String found) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> PolicyFile.readRedis(yaml, "p.yaml"));
        assertThat(e).as(yaml).isNotNull();
        assertThat(e.line()).as("line of " + e.getMessage()).isEqualTo(line);
        assertThat(e.column()).as("column of " + e.getMessage()).isEqualTo(column);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.expected()).contains(expected);
        assertThat(e.found()).isEqualTo(found);
    }
}
