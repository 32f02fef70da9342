package io.statuspolicy.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Permanent redirects kept in a properties file (key = "status expiry target"). The file is read
 * once when the store is made and rewritten through a temporary file and an atomic rename after
 * each change, outside the store's monitor, so a crash never leaves half a file and no call waits
 * on another's disk write. Entries that do not parse (another format, a target that is not an
 * absolute HTTP(S) URI, a status other than 301 or 308) are skipped when loading; a file that
 * cannot be read fails with its name.
 *
 * <p>Several processes may share the file (command-line runs on one {@code --state-dir}): each
 * write takes an exclusive lock on a sidecar {@code .lock} file, reads what is on disk now, keeps
 * the entries other processes added (less the ones this store forgot), adds its own, and writes
 * the result; so no run's update is lost to another's. Within one process an older snapshot is
 * never written after a newer one.
 */
final class FileRedirectStore extends InMemoryRedirectStore {
    private final Path file;
    /** Keys this store forgot, so a merge with the file does not bring them back. */
    private final Set<String> forgotten = new java.util.HashSet<>();
    /** The number of the newest change written. */
    private long written;

    FileRedirectStore(Path file, int maxEntries) {
        super(maxEntries);
        this.file = Objects.requireNonNull(file, "file");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException absent) {
            return;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the redirect store " + file + ": " + e.getMessage(), e);
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            Moved moved = parseEntry(properties.getProperty(key));
            if (moved != null) {
                load(key, moved);
            }
        }
    }

    private static Moved parseEntry(String text) {
        String[] parts = text.split(" ", 3);
        if (parts.length != 3) {
            return null;
        }
        try {
            int status = Integer.parseInt(parts[0]);
            long expires = Long.parseLong(parts[1]);
            URI target = parse(parts[2]);
            return target == null || (status != 301 && status != 308) ? null : new Moved(target, status, expires);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static URI parse(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) ? uri : null;
        } catch (Exception e) {
            return null;
        }
    }

    @Override
    boolean persistent() {
        return true;
    }

    @Override
    void changed(String key, boolean forgotten) {
        synchronized (this.forgotten) {
            if (forgotten) {
                this.forgotten.add(key);
            } else {
                this.forgotten.remove(key);
            }
        }
    }

    @Override
    synchronized void persist(Map<String, Moved> entries, long version) {
        if (version <= written) {
            return; // a newer snapshot is on disk already
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path lock = parent.resolve(file.getFileName() + ".lock");
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lock,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
                    java.nio.channels.FileLock held = channel.lock()) {
                Map<String, Moved> merged = new java.util.LinkedHashMap<>();
                Set<String> gone;
                synchronized (forgotten) {
                    gone = new java.util.HashSet<>(forgotten);
                }
                readFile().forEach((key, moved) -> {
                    if (!gone.contains(key) && !entries.containsKey(key)) {
                        merged.put(key, moved); // another process learned it
                    }
                });
                // Ours are the newest; the other process's fill what is left of the bound.
                while (merged.size() + entries.size() > maxEntries() && !merged.isEmpty()) {
                    merged.remove(merged.keySet().iterator().next());
                }
                merged.forEach(this::load);
                merged.putAll(entries);
                write(parent, merged);
            }
            written = version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the redirect store " + file, e);
        }
    }

    private Map<String, Moved> readFile() throws IOException {
        Map<String, Moved> found = new java.util.LinkedHashMap<>();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException absent) {
            return found;
        } catch (IllegalArgumentException broken) {
            return found; // a broken file is replaced by what this store knows
        }
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            Moved moved = parseEntry(properties.getProperty(key));
            if (moved != null) {
                found.put(key, moved);
            }
        }
        return found;
    }

    private void write(Path parent, Map<String, Moved> entries) throws IOException {
        Properties properties = new Properties();
        entries.forEach((key, moved) -> properties.setProperty(key,
                moved.status() + " " + moved.expiresAtMillis() + " " + moved.target()));
        Path temporary = Files.createTempFile(parent, ".redirects", ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "statuspolicy: permanent redirects (301, 308) learned so far");
        }
        try {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "FileRedirectStore[" + file + "]";
    }
}
