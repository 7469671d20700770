package dev.mise.common.blobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.storage.StorageOptions;
import dev.mise.common.config.Env;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link CloudStorageBlobStore} through the real storage client, against captured requests. */
class CloudStorageBlobStoreTest {

  private FakeCloudStorage gcs;
  private CloudStorageBlobStore store;

  @BeforeEach
  void start() throws Exception {
    gcs = new FakeCloudStorage();
    store =
        new CloudStorageBlobStore(
            new Env(
                Map.of(
                    "ASSETS_BUCKET", "mise-assets",
                    "PUBLIC_BASE_URL", "https://mise.example/",
                    "STORAGE_EMULATOR_HOST", gcs.url(),
                    "GOOGLE_CLOUD_PROJECT", "demo-blobs")));
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    gcs.close();
  }

  @Test
  void writesAndReadsBackAnObjectWithItsContentType() {
    byte[] jpeg = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2};
    store.put("gen/s1/i1.jpg", jpeg, "image/jpeg");

    BlobStore.Blob blob = store.get("gen/s1/i1.jpg").orElseThrow();

    assertArrayEquals(jpeg, blob.data());
    assertEquals("image/jpeg", blob.contentType());
    assertEquals("gen/s1/i1.jpg", blob.key());
  }

  @Test
  void putIfAbsentSendsTheDoesNotExistPreconditionAndLosesToAnExistingObject() {
    assertTrue(store.putIfAbsent("a/b.txt", bytes("first"), "text/plain"));
    assertFalse(store.putIfAbsent("a/b.txt", bytes("second"), "text/plain"));

    assertEquals(
        "first", new String(store.get("a/b.txt").orElseThrow().data(), StandardCharsets.UTF_8));
    assertTrue(
        gcs.requests().stream()
            .filter(r -> r.startsWith("POST /upload/storage/v1/b/mise-assets/o"))
            .allMatch(r -> r.contains("ifGenerationMatch=0")),
        gcs.requests().toString());
  }

  @Test
  void aMissingObjectIsEmptyAndDeletingItIsFine() {
    assertEquals(Optional.empty(), store.get("nope.txt"));
    store.delete("nope.txt");
    store.put("x.txt", bytes("x"), "text/plain");
    store.delete("x.txt");
    assertEquals(Optional.empty(), store.get("x.txt"));
  }

  @Test
  void publicUrlsPointAtTheEdgesAssetsRoute() {
    assertEquals("https://mise.example/assets/gen/s1/i1.jpg", store.publicUrl("gen/s1/i1.jpg"));
  }

  @Test
  void refusesKeysThatCouldEscapeOrNeedEscaping() {
    for (String key : new String[] {"../x", "/abs", "a\\b", "a//b", "a/./b", "sp ace", ""}) {
      assertThrows(
          IllegalArgumentException.class, () -> store.put(key, bytes("x"), "text/plain"), key);
    }
  }

  @Test
  void signsAV4GetUrlValidForAtMostSevenDays() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    ServiceAccountCredentials signer =
        ServiceAccountCredentials.newBuilder()
            .setClientEmail("mise-functions@demo-blobs.iam.gserviceaccount.com")
            .setPrivateKey(keys.getPrivate())
            .setProjectId("demo-blobs")
            .build();
    try (CloudStorageBlobStore signing =
        new CloudStorageBlobStore(
            "mise-assets",
            "https://mise.example",
            () ->
                StorageOptions.newBuilder()
                    .setProjectId("demo-blobs")
                    .setCredentials(signer)
                    .build()
                    .getService())) {

      String url = signing.signedUrl("gen/s1/i1.jpg", Duration.ofDays(30));
      String hourUrl = signing.signedUrl("gen/s1/i1.jpg", Duration.ofHours(1));

      assertTrue(url.startsWith("https://storage.googleapis.com/mise-assets/gen/s1/i1.jpg?"), url);
      assertEquals("GOOG4-RSA-SHA256", param(url, "X-Goog-Algorithm"));
      assertEquals("604800", param(url, "X-Goog-Expires"));
      assertEquals("3600", param(hourUrl, "X-Goog-Expires"));
      assertTrue(param(url, "X-Goog-Credential").startsWith("mise-functions%40demo-blobs"));
      assertTrue(param(url, "X-Goog-Signature").matches("[0-9a-f]{512}"));
    }
  }

  @Test
  void signingWithoutASigningKeyIsAStoreFailureAndABadValidityIsRefused() {
    assertThrows(BlobStoreException.class, () -> store.signedUrl("a.txt", Duration.ofHours(1)));
    assertThrows(IllegalArgumentException.class, () -> store.signedUrl("a.txt", Duration.ZERO));
  }

  private static String param(String url, String name) {
    Matcher m = Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
    assertTrue(m.find(), name + " missing in " + url);
    return m.group(1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
