package dev.mise.emulators.assets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssetServerTest {
  @TempDir static Path root;
  static AssetServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5, 6, 7};

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(root.resolve("gen/s1"));
    Files.write(root.resolve("gen/s1/item-1.jpg"), JPEG);
    Files.write(root.resolve("gen/s1/card"), JPEG);
    Files.createDirectories(root.resolve(".content-types/gen/s1"));
    Files.writeString(root.resolve(".content-types/gen/s1/card"), "image/jpeg");
    server = AssetServer.start(root, 0);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void servesAnObjectWithItsTypeAndEtag() throws Exception {
    HttpResponse<byte[]> response = get("/assets/gen/s1/item-1.jpg");
    assertEquals(200, response.statusCode());
    assertArrayEquals(JPEG, response.body());
    assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElseThrow());
    String etag = response.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, get("/assets/gen/s1/item-1.jpg", "If-None-Match", etag).statusCode());
  }

  @Test
  void servesTheContentTypeTheBlobStoreRecorded() throws Exception {
    HttpResponse<byte[]> response = get("/assets/gen/s1/card");
    assertEquals(200, response.statusCode());
    assertEquals("image/jpeg", response.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void servesByteRanges() throws Exception {
    HttpResponse<byte[]> response = get("/assets/gen/s1/item-1.jpg", "Range", "bytes=2-4");
    assertEquals(206, response.statusCode());
    assertArrayEquals(new byte[] {(byte) 0xFF, 1, 2}, response.body());
    assertEquals("bytes 2-4/10", response.headers().firstValue("Content-Range").orElseThrow());
    assertEquals(416, get("/assets/gen/s1/item-1.jpg", "Range", "bytes=50-60").statusCode());
  }

  @Test
  void missingObjectsAre404() throws Exception {
    assertEquals(404, get("/assets/gen/s1/nope.jpg").statusCode());
    assertEquals(404, get("/other").statusCode());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/assets/gen/../secret",
        "/assets/gen/%2e%2e/secret",
        "/assets/gen/%252e%252e/x",
        "/assets/gen//s1/item-1.jpg",
        "/assets/gen/s1/item-1.jpg%00",
        "/assets/gen\\s1",
        "/assets/.content-types/gen/s1/card",
        "/assets/gen/s1/.staging-1.tmp"
      })
  void keysThatCouldEscapeAreRefused(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path.replace("\\", "%5C")))
            .build();
    assertEquals(400, http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
  }
}
