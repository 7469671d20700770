package dev.mise.common.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.config.ConfigException;
import dev.mise.common.config.Env;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryBlobStoreTest {

  @TempDir Path root;

  private LocalDirectoryBlobStore store() {
    return new LocalDirectoryBlobStore(root, "http://127.0.0.1:8787");
  }

  @Test
  void writesAFileAtTheKeysPathAndReadsItBackWithItsType() throws Exception {
    store().put("uploads/u1/menu.bin", bytes("menu"), "image/heic");

    assertEquals("menu", Files.readString(root.resolve("uploads/u1/menu.bin")));
    BlobStore.Blob blob = store().get("uploads/u1/menu.bin").orElseThrow();
    assertArrayEquals(bytes("menu"), blob.data());
    assertEquals("image/heic", blob.contentType());
  }

  @Test
  void putOverwrites() {
    store().put("a.txt", bytes("one"), "text/plain");
    store().put("a.txt", bytes("two"), "text/markdown");
    BlobStore.Blob blob = store().get("a.txt").orElseThrow();
    assertEquals("two", new String(blob.data(), StandardCharsets.UTF_8));
    assertEquals("text/markdown", blob.contentType());
  }

  @Test
  void putIfAbsentWritesOnceAndKeepsTheFirstObjectAndType() {
    assertTrue(store().putIfAbsent("gen/s/i.jpg", bytes("first"), "image/jpeg"));
    assertFalse(store().putIfAbsent("gen/s/i.jpg", bytes("second"), "image/png"));

    BlobStore.Blob blob = store().get("gen/s/i.jpg").orElseThrow();
    assertEquals("first", new String(blob.data(), StandardCharsets.UTF_8));
    assertEquals("image/jpeg", blob.contentType());
  }

  @Test
  void ofRacingPutIfAbsentCallsExactlyOneWins() throws Exception {
    int writers = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(writers);
    try {
      List<Future<Boolean>> wins = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] data = bytes("writer " + i);
        wins.add(
            threads.submit(
                () -> {
                  start.await();
                  return store().putIfAbsent("race/one.txt", data, "text/plain");
                }));
      }
      start.countDown();
      int won = 0;
      for (Future<Boolean> win : wins) {
        won += win.get() ? 1 : 0;
      }
      assertEquals(1, won);
      try (var files = Files.list(root.resolve("race"))) {
        assertEquals(List.of("one.txt"), files.map(f -> f.getFileName().toString()).toList());
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aMissingObjectIsEmptyAndDeleteIsIdempotent() {
    assertEquals(Optional.empty(), store().get("none.txt"));
    store().put("x.txt", bytes("x"), "text/plain");
    store().delete("x.txt");
    store().delete("x.txt");
    assertEquals(Optional.empty(), store().get("x.txt"));
  }

  @Test
  void aFilePutThereByHandGetsItsTypeFromTheExtension() throws Exception {
    Files.writeString(root.resolve("photo.png"), "png");
    assertEquals("image/png", store().get("photo.png").orElseThrow().contentType());
  }

  @Test
  void refusesKeysThatCouldEscapeTheDirectory() {
    for (String key :
        new String[] {"../etc/passwd", "a/../../b", "/etc/passwd", "a\\b", "a//b", ".", ""}) {
      assertThrows(IllegalArgumentException.class, () -> store().put(key, bytes("x"), "t/t"), key);
      assertThrows(IllegalArgumentException.class, () -> store().get(key), key);
    }
    assertThrows(
        IllegalArgumentException.class,
        () -> store().put(".content-types/a.txt", bytes("x"), "t/t"));
  }

  @Test
  void signedUrlsArePublicUrlsAndStillCheckTheValidity() {
    assertEquals("http://127.0.0.1:8787/assets/gen/s/i.jpg", store().publicUrl("gen/s/i.jpg"));
    assertEquals(store().publicUrl("a.jpg"), store().signedUrl("a.jpg", Duration.ofDays(30)));
    assertThrows(IllegalArgumentException.class, () -> store().signedUrl("a.jpg", Duration.ZERO));
  }

  @Test
  void theFactoryChoosesTheDirectoryWhenAssetsDirIsSet() {
    BlobStore local =
        BlobStores.fromEnv(
            new Env(Map.of("ASSETS_DIR", root.toString(), "PUBLIC_BASE_URL", "http://x")));
    BlobStore cloud =
        BlobStores.fromEnv(new Env(Map.of("ASSETS_BUCKET", "b", "PUBLIC_BASE_URL", "http://x")));

    assertInstanceOf(LocalDirectoryBlobStore.class, local);
    assertInstanceOf(CloudStorageBlobStore.class, cloud);
    ConfigException missing =
        assertThrows(
            ConfigException.class,
            () -> BlobStores.fromEnv(new Env(Map.of("PUBLIC_BASE_URL", "http://x"))));
    assertEquals("ASSETS_BUCKET", missing.variable());
    assertEquals(
        "PUBLIC_BASE_URL",
        assertThrows(
                ConfigException.class,
                () -> BlobStores.fromEnv(new Env(Map.of("ASSETS_DIR", root.toString()))))
            .variable());
  }

  @Test
  void signedUrlValidityIsCappedAtSevenDays() {
    assertEquals(Duration.ofDays(7), BlobKeys.signedUrlValidity(Duration.ofDays(8)));
    assertEquals(Duration.ofMinutes(5), BlobKeys.signedUrlValidity(Duration.ofMinutes(5)));
    assertThrows(
        IllegalArgumentException.class, () -> BlobKeys.signedUrlValidity(Duration.ofSeconds(-1)));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
