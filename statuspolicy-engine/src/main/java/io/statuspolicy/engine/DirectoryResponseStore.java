package io.statuspolicy.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Stored responses as files, one per key (named by the key's SHA-256), written through a
 * temporary file and an atomic rename. An unreadable entry is treated as absent and deleted;
 * when the directory grows past its bound, the least recently written entries go first.
 */
final class DirectoryResponseStore implements ResponseStore {
    private static final int FORMAT = 1;
    private static final String SUFFIX = ".response";

    private final Path directory;
    private final long maxBytes;

    /** Header fields or values per entry beyond which a file is taken for broken. */
    private static final int MAX_COUNT = 10_000;
    /** Bytes written since the last listing, plus what the listing found: when above the bound, evict. */
    private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong(
            Long.MAX_VALUE / 2);

    DirectoryResponseStore(Path directory, long maxBytes) {
        this.directory = Objects.requireNonNull(directory, "directory");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a response store holds at least 1 byte, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public CachedResponse get(String key) {
        Path file = file(key);
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != FORMAT || !in.readUTF().equals(key)) {
                return null; // another format, or a hash collision
            }
            URI uri = URI.create(in.readUTF());
            int status = in.readInt();
            long storedAt = in.readLong();
            int fields = bounded(in.readInt(), "header fields");
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 0; i < fields; i++) {
                String name = in.readUTF();
                int count = bounded(in.readInt(), "values");
                List<String> values = new ArrayList<>(count);
                for (int j = 0; j < count; j++) {
                    values.add(in.readUTF());
                }
                headers.put(name, values);
            }
            byte[] body = readBody(in, in.readInt());
            return new CachedResponse(uri, status, headers, body, storedAt);
        } catch (NoSuchFileException absent) {
            return null;
        } catch (IOException | RuntimeException broken) {
            deleteQuietly(file);
            return null;
        }
    }

    /** A count read from disk, which is trusted only within reason (a broken file must not allocate gigabytes). */
    private static int bounded(int count, String what) throws IOException {
        if (count < 0 || count > MAX_COUNT) {
            throw new IOException("an entry with " + count + " " + what);
        }
        return count;
    }

    private static byte[] readBody(InputStream in, int length) throws IOException {
        if (length < 0) {
            throw new IOException("negative body length");
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) {
            throw new IOException("truncated entry");
        }
        return body;
    }

    @Override
    public void put(String key, CachedResponse response) {
        try {
            Files.createDirectories(directory);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(response.size() + 512);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(FORMAT);
                out.writeUTF(key);
                out.writeUTF(response.uri().toString());
                out.writeInt(response.status());
                out.writeLong(response.storedAtMillis());
                out.writeInt(response.headers().size());
                for (Map.Entry<String, List<String>> field : response.headers().entrySet()) {
                    out.writeUTF(field.getKey());
                    out.writeInt(field.getValue().size());
                    for (String value : field.getValue()) {
                        out.writeUTF(value);
                    }
                }
                out.writeInt(response.size());
                out.write(response.body());
            }
            if (bytes.size() > maxBytes) {
                remove(key);
                return;
            }
            Path temporary = Files.createTempFile(directory, ".entry", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                bytes.writeTo(out);
            }
            try {
                Files.move(temporary, file(key), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file(key), StandardCopyOption.REPLACE_EXISTING);
            }
            long size = sizeOf(file(key));
            if (written.addAndGet(size) > maxBytes) {
                evict(); // lists the directory only when what was written may exceed the bound
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the response store in " + directory, e);
        }
    }

    @Override
    public void remove(String key) {
        deleteQuietly(file(key));
    }

    private synchronized void evict() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(SUFFIX)).toList();
        }
        long total = 0;
        List<Path> byAge = new ArrayList<>(files);
        Map<Path, Long> modified = new LinkedHashMap<>();
        for (Path path : files) {
            total += sizeOf(path);
            modified.put(path, lastModified(path));
        }
        byAge.sort(Comparator.comparing(modified::get));
        for (Path oldest : byAge) {
            if (total <= maxBytes * 3 / 4) {
                break; // down to three quarters, so the next listing is many puts away
            }
            total -= sizeOf(oldest);
            deleteQuietly(oldest);
        }
        written.set(total);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long lastModified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path file(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest) + SUFFIX);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A stale entry that cannot be deleted is simply not used.
        }
    }

    @Override
    public String toString() {
        return "DirectoryResponseStore[" + directory + "]";
    }
}
