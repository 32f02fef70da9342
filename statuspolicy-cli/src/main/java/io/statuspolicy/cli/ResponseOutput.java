package io.statuspolicy.cli;

import io.statuspolicy.http.Redaction;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the final response goes: standard output, or {@code -o FILE}. Bodies are streamed, one
 * buffer at a time with back-pressure, so a body of any size needs no memory to speak of.
 *
 * <p>A file is written to a temporary file in the same directory and renamed over
 * {@code FILE} only when the call succeeded ({@link #commit()}); a truncated download, an error
 * status or a failure leaves an existing {@code FILE} untouched and no partial file behind
 * (the safety catalogue's case 60).
 */
abstract class ResponseOutput {
    private final boolean include;
    private boolean failOnError;

    ResponseOutput(boolean include) {
        this.include = include;
    }

    /** Standard output. */
    static ResponseOutput stdout(boolean include) {
        return new Stdout(include);
    }

    /** Standard output; with {@code failOnError} ({@code -f}) nothing of a 4xx or 5xx response is written. */
    static ResponseOutput stdout(boolean include, boolean failOnError) {
        ResponseOutput out = new Stdout(include);
        out.failOnError = failOnError;
        return out;
    }

    /** {@link #file(Path, boolean)}; with {@code failOnError} ({@code -f}) nothing of a 4xx or 5xx response is written. */
    static ResponseOutput file(Path file, boolean include, boolean failOnError) {
        ResponseOutput out = file(file, include);
        out.failOnError = failOnError;
        return out;
    }

    /**
     * {@code file}: a regular file (or a new one) is replaced atomically on success, through a
     * symbolic link if it is one; anything else ({@code /dev/null}, a named pipe, a terminal) is
     * written to directly, because renaming over it would replace the device or pipe itself.
     */
    static ResponseOutput file(Path file, boolean include) {
        Path target = file.toAbsolutePath();
        if (Files.exists(target)) {
            try {
                target = target.toRealPath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resolve " + file, e);
            }
            if (!Files.isRegularFile(target)) {
                return new Direct(target, include);
            }
        }
        return new ToFile(target, include);
    }

    /** The body handler for the call: the head (with {@code -i}), then the body, into the sink. */
    HttpResponse.BodyHandler<Void> handler() {
        return info -> {
            if (failOnError && info.statusCode() >= 400) {
                // -f: curl's "fail silently": the error body is read and dropped, never shown.
                return new Streaming(OutputStream.nullOutputStream(), null);
            }
            OutputStream sink;
            try {
                sink = open();
                if (include) {
                    sink.write(head(info).getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                return new Streaming(null, new ExitCodes.LocalException("cannot write the response: "
                        + e.getMessage(), e));
            }
            return new Streaming(sink, null);
        };
    }

    /** The call succeeded: make the output final. */
    abstract void commit() throws IOException;

    /** The call failed: drop what a file received; standard output is only flushed. */
    abstract void discard();

    /** The sink, opened when the response to write arrives. */
    abstract OutputStream open() throws IOException;

    /**
     * The status line and header fields as {@code -i} shows them; values of fields that carry
     * credentials or session state ({@code Set-Cookie}, ...) are masked.
     */
    static String head(ResponseInfo info) {
        StringBuilder text = new StringBuilder(256).append(version(info.version())).append(' ')
                .append(info.statusCode());
        String phrase = io.statuspolicy.policy.HttpStatus.reasonPhrase(info.statusCode());
        if (phrase != null) {
            text.append(' ').append(phrase);
        }
        text.append("\r\n");
        Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(info.headers().map());
        sorted.forEach((name, values) -> {
            if (!name.startsWith(":")) { // HTTP/2 pseudo-headers
                for (String value : values) {
                    text.append(name).append(": ").append(Redaction.headerValue(name, value)).append("\r\n");
                }
            }
        });
        return text.append("\r\n").toString();
    }

    private static String version(HttpClient.Version version) {
        return version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1";
    }

    /** Writes each buffer to the sink, asking for the next one only when it is written. */
    static final class Streaming implements BodySubscriber<Void> {
        private final OutputStream sink;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final RuntimeException failure;
        private Flow.Subscription subscription;

        /** Writes to {@code sink}; or, with a {@code failure}, refuses the body with it. */
        Streaming(OutputStream sink, RuntimeException failure) {
            this.sink = sink;
            this.failure = failure;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value;
            if (failure != null) {
                value.cancel();
                done.completeExceptionally(failure);
                return;
            }
            value.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer buffer : buffers) {
                    if (buffer.hasArray()) {
                        sink.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
                    } else {
                        byte[] bytes = new byte[buffer.remaining()];
                        buffer.get(bytes);
                        sink.write(bytes);
                    }
                }
            } catch (IOException e) {
                subscription.cancel();
                done.completeExceptionally(new ExitCodes.LocalException("cannot write the response body: "
                        + e.getMessage(), e));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            if (sink != null) {
                flushQuietly();
            }
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (done.isDone()) {
                return;
            }
            try {
                sink.flush();
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(new ExitCodes.LocalException("cannot write the response body: "
                        + e.getMessage(), e));
            }
        }

        private void flushQuietly() {
            try {
                sink.flush();
            } catch (IOException ignored) {
                // the failure being reported matters more
            }
        }
    }

    private static final class Stdout extends ResponseOutput {
        private final OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

        Stdout(boolean include) {
            super(include);
        }

        @Override
        OutputStream open() {
            return out;
        }

        @Override
        void commit() throws IOException {
            out.flush();
        }

        @Override
        void discard() {
            try {
                out.flush();
            } catch (IOException ignored) {
                // nothing more to say about standard output
            }
        }
    }

    /** A device or pipe: written as it comes; there is no good copy to protect. */
    private static final class Direct extends ResponseOutput {
        private final Path target;
        private OutputStream out;

        Direct(Path target, boolean include) {
            super(include);
            this.target = target;
        }

        @Override
        synchronized OutputStream open() throws IOException {
            if (out == null) {
                out = new BufferedOutputStream(new FileOutputStream(target.toFile()), 1 << 16);
            }
            return out;
        }

        @Override
        synchronized void commit() throws IOException {
            if (out != null) {
                out.close();
            }
        }

        @Override
        synchronized void discard() {
            try {
                commit();
            } catch (IOException ignored) {
                // the call's own failure is the one to report
            }
        }
    }

    static final class ToFile extends ResponseOutput {
        private final Path target;
        private Path temporary;
        private OutputStream out;
        private Thread cleanup;
        private boolean shutDown;

        ToFile(Path target, boolean include) {
            super(include);
            this.target = target;
        }

        @Override
        synchronized OutputStream open() throws IOException {
            if (out == null) {
                if (shutDown) {
                    throw new IOException("the run is ending; " + target + " is left as it was");
                }
                // Beside the target, so the rename is atomic; a hidden, unique name that never
                // looks like the finished file. Created with the umask's permissions, or the
                // existing file's, so the rename changes the content only.
                String name = "." + target.getFileName() + "." + Long.toUnsignedString(
                        ThreadLocalRandom.current().nextLong(), 36) + ".part";
                Path part = target.resolveSibling(name);
                // Ended by SIGTERM or Ctrl-C mid-download: the JVM runs its shutdown hooks, and
                // this one removes the partial file (FILE itself is never touched before commit).
                // The hook is registered before the file exists and takes this object's monitor,
                // so a signal at any moment of this method either stops it before the file is
                // made or waits for the file and then removes it: no window leaves a .part behind.
                cleanup = new PartCleanup(this);
                try {
                    Runtime.getRuntime().addShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    cleanup = null;
                    throw new IOException("the run is ending; " + target + " is left as it was");
                }
                temporary = Files.createFile(part);
                copyPermissions(target, temporary);
                out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
            }
            return out;
        }

        @Override
        synchronized void commit() throws IOException {
            if (out == null) {
                throw new IOException("no response body was received to write to " + target);
            }
            out.close();
            if (shutDown) {
                throw new IOException("the run is ending; " + target + " is left as it was");
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temporary = null;
            dropCleanup();
        }

        /** The shutdown hook's work, under the monitor that {@link #open()} and {@link #commit()} hold. */
        synchronized void endOfRun() {
            shutDown = true;
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // nothing more can be done while the JVM ends
                }
            }
        }

        private void dropCleanup() {
            if (cleanup != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs anyway; it finds nothing to delete
                }
                cleanup = null;
            }
        }

        @Override
        synchronized void discard() {
            try {
                if (out != null) {
                    out.close();
                }
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
                dropCleanup();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the partial download " + temporary, e);
            }
        }

        private static void copyPermissions(Path from, Path to) {
            try {
                if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
                    PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class);
                    if (view != null) {
                        view.setPermissions(Files.getPosixFilePermissions(from));
                    }
                }
            } catch (IOException | UnsupportedOperationException ignored) {
                // the umask's permissions are a fine fallback
            }
        }
    }

    /** A named class rather than a lambda: nothing to bootstrap when it is made mid-download. */
    private static final class PartCleanup extends Thread {
        private final ToFile owner;

        PartCleanup(ToFile owner) {
            super("statuspolicy-partial-file-cleanup");
            this.owner = owner;
        }

        @Override
        public void run() {
            owner.endOfRun();
        }
    }
}
