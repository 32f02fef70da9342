package io.statuspolicy.cli;

import io.statuspolicy.engine.CredentialSource;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * {@code --auth-command CMD}: the {@code Authorization} value is the first line that
 * {@code sh -c CMD} prints. It runs once before the first request and once more to refresh
 * after a 401 or 403 (the executor asks at most once per call). The value is never printed;
 * the command's standard error goes to ours, its standard input is empty (ours may be the
 * request body).
 */
final class CommandCredentials implements CredentialSource {
    private static final long TIMEOUT_SECONDS = 60;

    private final String command;
    private volatile String current;

    CommandCredentials(String command) {
        this.command = command;
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
        Process process = new ProcessBuilder("sh", "-c", command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readNBytes(64 * 1024);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("--auth-command did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while --auth-command ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException("--auth-command exited with status " + process.exitValue());
        }
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
