package io.statuspolicy.config;

import io.statuspolicy.policy.Policy;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads and writes a {@link Policy} as a YAML policy file, so that a team can keep its policy
 * under version control next to its code.
 *
 * <p>A file lists only what differs from {@link Policy#guideline()}; an empty file is the
 * guideline. The format is described, with a complete example, in this module's README:
 *
 * <pre>{@code
 * limits:
 *   maxAttempts: 3
 *   backoff: { initialDelay: 200ms, maxDelay: 5s }
 * rules:
 *   "502": { handling: FAIL, grade: MUST_NOT_RETRY }
 * routes:
 *   - route: "GET /cases/{id}"
 *     limits: { awaitResource: 30s }
 * }</pre>
 *
 * <p>Every problem, from a YAML syntax error to a value the core refuses, is a
 * {@link PolicyFileException} that names the source, line, column and key. {@link #write} and
 * {@link #read(String, String)} are inverse: {@code read(write(p), name).equals(p)} for every
 * policy {@code p}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PolicyFile {

    private PolicyFile() {
    }

    /**
     * Reads a policy file (UTF-8).
     *
     * @throws PolicyFileException if the file cannot be read or is not a valid policy file; the
     *                             message starts with the file's name
     */
    public static Policy read(Path file) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyFileException(name, 0, 0, "", "a readable UTF-8 file", why(e), e);
        }
        return read(text, name);
    }

    /**
     * Reads policy-file text.
     *
     * @param yaml       the text
     * @param sourceName what to call the text in messages, e.g. a file name or {@code "<stdin>"}
     * @throws PolicyFileException if the text is not a valid policy file
     */
    public static Policy read(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        Policy policy = PolicyReader.read(yaml, sourceName);
        RedisSectionReader.read(yaml, sourceName); // a bad redis: section is reported here too
        return policy;
    }

    /**
     * The file's {@code redis:} section (issue 12), or empty when it has none: where
     * statuspolicy-redis shares host holds, redirects and responses with the fleet. The policy
     * itself ({@link #read(Path)}) ignores the section; this module knows no Redis client.
     *
     * @throws PolicyFileException if the file cannot be read, or the section has a bad key or value
     *                             (the message names the key, line and column)
     */
    public static java.util.Optional<RedisSettings> readRedis(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PolicyFileException(file.toString(), 0, 0, "", "a readable UTF-8 file", why(e), e);
        }
        return readRedis(text, file.toString());
    }

    /** The {@code redis:} section of policy-file text, as {@link #readRedis(Path)}. */
    public static java.util.Optional<RedisSettings> readRedis(String yaml, String sourceName) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        return RedisSectionReader.read(yaml, sourceName);
    }

    /**
     * Reads policy-file text as changes to {@code base} rather than to the guideline: each section
     * changes what {@code base} has, and each route is added after {@code base}'s own routes (the
     * first route that matches wins). {@code read(text, name)} is {@code read(text, name,
     * Policy.guideline())}. Layers such as "the team's file, then one client's overrides" are
     * built this way.
     *
     * @throws PolicyFileException if the text is not a valid policy file
     */
    public static Policy read(String yaml, String sourceName, Policy base) {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(base, "base");
        return PolicyReader.read(yaml, sourceName, base);
    }

    /**
     * The policy as policy-file text: a comment header, then only what differs from
     * {@link Policy#guideline()} (for each route, what differs from the policy outside routes).
     * The guideline itself gives a file with no overrides.
     */
    public static String write(Policy policy) {
        return PolicyWriter.write(policy);
    }

    private static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "access denied";
        }
        if (e instanceof CharacterCodingException) {
            return "bytes that are not UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
