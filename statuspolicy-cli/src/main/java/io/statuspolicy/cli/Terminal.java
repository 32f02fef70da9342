package io.statuspolicy.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The width that {@code demo} and {@code table} fit their tables to. */
final class Terminal {
    /** Without a terminal (a pipe, a file, CI), and the most used on one. */
    static final int DEFAULT_WIDTH = 100;
    private static final int NARROWEST = 60;

    private Terminal() {
    }

    /**
     * {@code COLUMNS} when the shell exports it; else, on a terminal, what {@code stty size}
     * says; else {@value #DEFAULT_WIDTH}. Never below 60.
     */
    static int width(Map<String, String> env, boolean terminal) {
        Integer columns = parse(env.get("COLUMNS"));
        if (columns == null && terminal) {
            columns = stty();
        }
        return columns == null ? DEFAULT_WIDTH : Math.max(NARROWEST, columns);
    }

    static int width() {
        return width(System.getenv(), System.console() != null);
    }

    private static Integer parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "rows columns" from {@code stty size}, reading the terminal itself. */
    private static Integer stty() {
        try {
            Process process = new ProcessBuilder("stty", "size")
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String[] parts = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip()
                    .split("\\s+");
            return parts.length == 2 ? parse(parts[1]) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
