package io.statuspolicy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real shaded jar as a subprocess ({@code java -jar target/statuspolicy-cli.jar}), the
 * way a user or a script does: no proxy variables, no terminal, standard input as given.
 */
final class Cli {
    private final List<String> jvm = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];
    private InputStream stdinStream;
    private Path stdout;
    private String mainClass;

    static Cli jar() {
        return new Cli();
    }

    static Path jarPath() {
        String jar = System.getProperty("statuspolicy.cli.jar");
        if (jar == null) {
            throw new IllegalStateException("run the integration tests with Maven (failsafe sets statuspolicy.cli.jar)");
        }
        return Path.of(jar);
    }

    Cli jvm(String... options) {
        jvm.addAll(List.of(options));
        return this;
    }

    /** Runs {@code className} from the jar ({@code -cp JAR className}) instead of its main class. */
    Cli mainClass(String className) {
        this.mainClass = className;
        return this;
    }

    Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Cli stdin(byte[] bytes) {
        this.stdin = bytes;
        return this;
    }

    /** Standard input streamed from {@code in} while the process runs. */
    Cli stdin(InputStream in) {
        this.stdinStream = in;
        return this;
    }

    /** Standard output to a file instead of memory (for big bodies). */
    Cli stdoutTo(Path file) {
        this.stdout = file;
        return this;
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        if (mainClass != null) {
            command.add("-cp");
            command.add(jarPath().toString());
            command.add(mainClass);
        } else {
            command.add("-jar");
            command.add(jarPath().toString());
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy")
                || name.equals("REQUEST_METHOD"));
        builder.environment().putAll(env);
        if (stdout != null) {
            builder.redirectOutput(stdout.toFile());
        }
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = stdout != null ? CompletableFuture.completedFuture(new byte[0])
                    : CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
                try (OutputStream target = process.getOutputStream()) {
                    if (stdinStream != null) {
                        stdinStream.transferTo(target);
                    } else {
                        target.write(stdin);
                    }
                } catch (IOException ignored) {
                    // the process may not read its input at all
                }
            });
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("statuspolicy " + String.join(" ", args) + " did not end within 120 s");
            }
            in.join();
            return new Result(process.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a run gave: exit code, standard output, standard error, wall time. */
    record Result(int exitCode, byte[] stdoutBytes, String stderr, long millis) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " in " + millis + " ms\n--- stdout\n" + (stdoutBytes.length > 2000
                    ? stdoutBytes.length + " bytes" : stdout()) + "\n--- stderr\n" + stderr;
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
