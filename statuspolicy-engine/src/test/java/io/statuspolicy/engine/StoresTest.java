package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
    private static final URI OLD = URI.create("https://a.test/old");
    private static final URI NEW = URI.create("https://a.test/new");

    @TempDir
    Path directory;

    private static final RedirectStore.Moved MOVED = new RedirectStore.Moved(NEW, 301, 5_000);

    @Test
    void theInMemoryRedirectStoreForgetsTheLeastRecentlyUsed() {
        RedirectStore store = RedirectStore.inMemory(2);
        store.remember("k1", MOVED);
        store.remember("k2", MOVED);
        store.lookup("k1");
        store.remember("k3", MOVED);
        assertThat(store.lookup("k1")).isEqualTo(MOVED);
        assertThat(store.lookup("k2")).isNull();
        assertThat(store.lookup("k3")).isEqualTo(MOVED);
    }

    @Test
    void entriesListWhatIsRememberedUpToTheLimit() {
        RedirectStore store = RedirectStore.inMemory(8);
        store.remember("k1", MOVED);
        store.remember("k2", MOVED);
        assertThat(store.entries(10)).containsOnlyKeys("k1", "k2");
        assertThat(store.entries(1)).hasSize(1);
        assertThat(RedirectStore.none().entries(10)).isEmpty();
        Path file = directory.resolve("listed.properties");
        RedirectStore onDisk = RedirectStore.file(file, 10);
        onDisk.remember("k3", MOVED);
        assertThat(RedirectStore.file(file, 10).entries(10)).containsEntry("k3", MOVED);
    }

    @Test
    void theFileRedirectStoreSurvivesANewInstanceAndSkipsJunk() throws IOException {
        Path file = directory.resolve("state/redirects.properties");
        RedirectStore first = RedirectStore.file(file, 10);
        RedirectStore.Moved kept = new RedirectStore.Moved(NEW, 308, 9_000);
        first.remember("MOVED " + OLD + " principal=abc", kept);
        assertThat(RedirectStore.file(file, 10).lookup("MOVED " + OLD + " principal=abc")).isEqualTo(kept);

        Files.writeString(file, Files.readString(file) + "\nold=file:///etc/passwd\nbad=302 1 https://x/\n"
                + "junk=301 never https://x/\nlocal=301 5 file:///etc/passwd\n", StandardCharsets.UTF_8);
        RedirectStore reloaded = RedirectStore.file(file, 10);
        assertThat(reloaded.lookup("MOVED " + OLD + " principal=abc")).isEqualTo(kept);
        for (String junk : List.of("old", "bad", "junk", "local")) {
            assertThat(reloaded.lookup(junk)).as(junk).isNull();
        }
        reloaded.forget("MOVED " + OLD + " principal=abc");
        assertThat(RedirectStore.file(file, 10).lookup("MOVED " + OLD + " principal=abc")).isNull();
    }

    @Test
    void twoStoresOnOneFileKeepEachOthersUpdates() {
        Path file = directory.resolve("shared/redirects.properties");
        RedirectStore first = RedirectStore.file(file, 10);
        RedirectStore second = RedirectStore.file(file, 10); // another process, as it were
        RedirectStore.Moved a = new RedirectStore.Moved(NEW, 301, 5_000);
        RedirectStore.Moved b = new RedirectStore.Moved(URI.create("https://a.test/b"), 308, 6_000);

        first.remember("MOVED a", a);
        second.remember("MOVED b", b);  // written after first's, without having read it
        first.remember("MOVED c", a);   // and first writes again, without having read second's

        RedirectStore fresh = RedirectStore.file(file, 10);
        assertThat(fresh.lookup("MOVED a")).isEqualTo(a);
        assertThat(fresh.lookup("MOVED b")).as("not lost to the other store's write").isEqualTo(b);
        assertThat(fresh.lookup("MOVED c")).isEqualTo(a);
        assertThat(first.lookup("MOVED b")).as("learned from the file while merging").isEqualTo(b);

        second.forget("MOVED a");
        assertThat(RedirectStore.file(file, 10).lookup("MOVED a")).as("a forget is not undone by the merge").isNull();
    }

    @Test
    void concurrentChangesInOneProcessLeaveTheNewestOnDisk() throws Exception {
        Path file = directory.resolve("busy/redirects.properties");
        RedirectStore store = RedirectStore.file(file, 1000);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "MOVED k" + i;
                writes.add(pool.submit(() -> store.remember(key, MOVED)));
            }
            for (java.util.concurrent.Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
        RedirectStore fresh = RedirectStore.file(file, 1000);
        for (int i = 0; i < 200; i++) {
            assertThat(fresh.lookup("MOVED k" + i)).as("k%d", i).isEqualTo(MOVED);
        }
    }

    @Test
    void onlyPermanentRedirectsAreRemembered() {
        assertThatThrownBy(() -> new RedirectStore.Moved(NEW, 302, 1)).hasMessageContaining("only 301 and 308");
        assertThat(new RedirectStore.Moved(NEW, 301, 10).liveAt(9)).isTrue();
        assertThat(new RedirectStore.Moved(NEW, 301, 10).liveAt(10)).isFalse();
    }

    @Test
    void responseStoresKeepHeadersAndBytesAndStayWithinTheirBound() {
        for (ResponseStore store : List.of(ResponseStore.inMemory(100), ResponseStore.directory(directory, 400))) {
            CachedResponse doc = new CachedResponse(OLD, 200, Map.of("ETag", List.of("\"v1\"")),
                    "0123456789".getBytes(StandardCharsets.UTF_8), 1);
            store.put("k1", doc);
            CachedResponse back = store.get("k1");
            assertThat(back).as("%s", store).isEqualTo(doc);
            assertThat(back.header("etag")).isEqualTo("\"v1\"");
            for (int i = 2; i <= 40; i++) {
                store.put("k" + i, doc);
            }
            assertThat(store.get("k1")).as("evicted from %s", store).isNull();
            assertThat(store.get("k40")).isEqualTo(doc);
            store.remove("k40");
            assertThat(store.get("k40")).isNull();
        }
    }

    @Test
    void aBrokenEntryFileIsTreatedAsAbsent() throws IOException {
        ResponseStore store = ResponseStore.directory(directory, 1 << 20);
        store.put("k", new CachedResponse(OLD, 200, Map.of(), new byte[] {1, 2, 3}, 1));
        try (var files = Files.list(directory)) {
            Path entry = files.filter(p -> p.toString().endsWith(".response")).findFirst().orElseThrow();
            Files.write(entry, new byte[] {0, 0, 0, 1, 0});
        }
        assertThat(store.get("k")).isNull();
    }

    @Test
    void a304FreshensTheStoredHeadersButNotItsFraming() {
        CachedResponse stored = new CachedResponse(OLD, 200, Map.of("Content-Length", List.of("3"),
                "Cache-Control", List.of("no-cache"), "ETag", List.of("\"v1\"")), new byte[] {1, 2, 3}, 1);
        CachedResponse fresh = stored.freshenedWith(Map.of("cache-control", List.of("max-age=60"),
                "content-length", List.of("0")), 99);
        assertThat(fresh.header("cache-control")).isEqualTo("max-age=60");
        assertThat(fresh.header("content-length")).isEqualTo("3");
        assertThat(fresh.body()).containsExactly(1, 2, 3);
        assertThat(fresh.storedAtMillis()).isEqualTo(99);
    }

    @Test
    void storesRefuseNonsenseBounds() {
        assertThatThrownBy(() -> RedirectStore.inMemory(0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ResponseStore.inMemory(0)).hasMessageContaining("at least 1");
    }
}
