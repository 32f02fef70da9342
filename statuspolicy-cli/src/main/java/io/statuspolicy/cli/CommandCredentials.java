package io.statuspolicy.cli;

import io.statuspolicy.engine.CredentialSource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code --auth-command CMD}: the {@code Authorization} value is the first line that
 * {@code sh -c CMD} prints. It runs once before the first request and once more to refresh
 * after a 401 or 403 (the executor asks at most once per call). The value is never printed;
 * the command's standard error goes to ours, its standard input is empty (ours may be the
 * request body).
 */
final class CommandCredentials implements CredentialSource {
    /** How long the command may run, each time. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String command;
    private final Duration timeout;
    private volatile String current;

    CommandCredentials(String command) {
        this(command, TIMEOUT);
    }

    CommandCredentials(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /** Runs the command for the first value. */
    String fetch() throws IOException {
        String value = run();
        current = value;
        return value;
    }

    @Override
    public String current(URI uri) throws IOException {
        String value = current;
        return value != null ? value : fetch();
    }

    @Override
    public String refresh(URI uri, String refused) throws IOException {
        return fetch();
    }

    private String run() throws IOException {
        // The output goes to a private temporary file, not a pipe: a command that leaves a
        // background child holding its standard output, or prints more than a pipe holds, can
        // neither hang us nor escape the timeout, which applies from the start.
        Path file = Files.createTempFile("statuspolicy-auth", ".out"); // rw------- on POSIX
        try {
            Process process = new ProcessBuilder("sh", "-c", command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(file.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("--auth-command did not finish within " + timeout.toSeconds() + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while --auth-command ran", e);
            }
            if (process.exitValue() != 0) {
                throw new IOException("--auth-command exited with status " + process.exitValue());
            }
            byte[] output;
            try (InputStream in = Files.newInputStream(file)) {
                output = in.readNBytes(64 * 1024);
            }
            return firstLine(output);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String firstLine(byte[] output) throws IOException {
        String text = new String(output, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end)).strip();
        if (line.isEmpty()) {
            throw new IOException("--auth-command printed no Authorization value");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                throw new IOException("--auth-command printed a value with a character not allowed in a header "
                        + "field (RFC 9110 §5.5)");
            }
        }
        return line;
    }

    @Override
    public String toString() {
        return "CommandCredentials[***]"; // the command may embed a secret
    }
}
