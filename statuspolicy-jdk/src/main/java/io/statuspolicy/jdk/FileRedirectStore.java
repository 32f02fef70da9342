package io.statuspolicy.jdk;

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
import java.util.Properties;
import java.util.TreeSet;

/**
 * Permanent redirects kept in a properties file (old URI = new URI). The file is read once when
 * the store is made and rewritten through a temporary file and an atomic rename after each
 * change, so a crash never leaves half a file. Entries that are not absolute HTTP(S) URIs are
 * skipped when loading; a broken file fails with its name.
 */
final class FileRedirectStore extends InMemoryRedirectStore {
    private final Path file;

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
            URI to = parse(properties.getProperty(key));
            if (to != null && parse(key) != null) {
                load(key, to);
            }
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
    void changed() {
        Properties properties = new Properties();
        snapshot().forEach((from, to) -> properties.setProperty(from, to.toString()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".redirects", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "statuspolicy: permanent redirects (301, 308) learned so far");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the redirect store " + file, e);
        }
    }

    @Override
    public String toString() {
        return "FileRedirectStore[" + file + "]";
    }
}
