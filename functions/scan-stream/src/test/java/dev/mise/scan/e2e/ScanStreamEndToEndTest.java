package dev.mise.scan.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.testing.MultipartBody;
import dev.mise.emulators.gemini.Answer;
import dev.mise.scan.SseTranscript;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scanner as it runs locally: both functions under the official invoker, the Firestore
 * emulator, the Gemini stand-in reading the shipped sample photos with tesseract and drawing
 * labelled pictures, assets served from a directory. Each test uses its own dietary filter, so the
 * tests do not meet in the (shared) cache.
 */
@Tag("emulator")
class ScanStreamEndToEndTest {

  private static LocalScanStack stack;
  private static final SseClient client = new SseClient();
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    stack = LocalScanStack.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  private static String token(String uid) {
    return LocalToken.forUser(uid, stack.project, Instant.now(), Duration.ofHours(1));
  }

  private static byte[] json(byte[] photo, String fields) {
    return ("{\"image\":\"" + Base64.getEncoder().encodeToString(photo) + "\"" + fields + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static SseClient.Result scan(String uid, byte[] photo, String fields) throws Exception {
    return client.send(
        SseClient.post(stack.scanUrl(), token(uid), "application/json", json(photo, fields))
            .header("Accept-Encoding", "gzip")
            .build());
  }

  private static long imageCalls() {
    return stack.gemini.requests().stream()
        .filter(r -> r.model().equals("gemini-2.5-flash-image"))
        .count();
  }

  @Test
  void aSampleMenuPhotoStreamsDishesAndPicturesAndTheSecondPostIsCached() throws Exception {
    byte[] photo = LocalScanStack.sample("menu-diner.jpg");

    SseClient.Result first =
        scan("alice", photo, ",\"targetLanguage\":\"en\",\"dietary\":[\"vegetarian\"]");

    assertEquals(200, first.status(), first.body() + stack.scan.logTail());
    assertEquals(
        "text/event-stream; charset=utf-8",
        first.response().headers().firstValue("Content-Type").orElseThrow().toLowerCase());
    assertEquals(
        "no-cache, no-transform",
        first.response().headers().firstValue("Cache-Control").orElseThrow());
    assertEquals(
        Optional.empty(),
        first.response().headers().firstValue("Content-Encoding"),
        "never compressed");
    assertEquals(3000L, first.transcript().retry());
    SseTranscript stream = first.transcript();
    assertEquals(
        List.of("status", "menu_data", "image_update", "image_update", "image_update", "done"),
        stream.names(),
        first.body());
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), stream.ids());

    JsonObject menu = stream.first("menu_data").json();
    String dishes = menu.getAsJsonArray("items").toString();
    // The stand-in read the photo with tesseract: the real dishes are there.
    assertTrue(dishes.contains("Buttermilk pancakes"), dishes);
    assertTrue(dishes.contains("Corned beef hash"), dishes);

    String sessionId = stream.first("status").json().get("sessionId").getAsString();
    for (SseTranscript.Event update : stream.named("image_update")) {
      JsonObject data = update.json();
      assertEquals("ready", data.get("imageStatus").getAsString(), data.toString());
      String url = data.get("imageUrl").getAsString();
      assertTrue(
          url.endsWith(
              "/assets/gen/" + sessionId + "/" + data.get("itemId").getAsString() + ".jpg"),
          url);
      HttpResponse<byte[]> picture =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, picture.statusCode(), url);
      assertEquals("image/jpeg", picture.headers().firstValue("Content-Type").orElseThrow());
      assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8}, Arrays.copyOf(picture.body(), 2));
    }
    assertFalse(stream.first("done").json().get("cached").getAsBoolean());

    int modelCalls = stack.gemini.requests().size();
    SseClient.Result second =
        scan("bob", photo, ",\"targetLanguage\":\"en\",\"dietary\":[\"vegetarian\"]");

    assertEquals(first.transcript().names(), second.transcript().names());
    assertTrue(second.transcript().first("done").json().get("cached").getAsBoolean());
    assertEquals(modelCalls, stack.gemini.requests().size(), "no model call for a cache hit");

    // Another photo of the same page (turned 2°, smaller, re-encoded): a near-duplicate.
    SseClient.Result again =
        scan(
            "carol",
            LocalScanStack.sample("menu-diner-again.jpg"),
            ",\"targetLanguage\":\"en\",\"dietary\":[\"vegetarian\"]");
    assertTrue(again.transcript().first("done").json().get("cached").getAsBoolean(), again.body());
    assertEquals(menu.get("items"), again.transcript().first("menu_data").json().get("items"));

    // Resume through the invoker: what came after event 2.
    SseClient.Result resumed =
        client.send(
            SseClient.get(stack.eventsUrl(sessionId), token("alice"), Map.of("Last-Event-ID", "2"))
                .build());
    assertEquals(List.of("3", "4", "5", "6"), resumed.transcript().ids());
    SseClient.Result stranger =
        client.send(SseClient.get(stack.eventsUrl(sessionId), token("mallory"), Map.of()).build());
    assertEquals(404, stranger.status());
  }

  @Test
  void multipartWorksThroughTheInvoker() throws Exception {
    MultipartBody form =
        new MultipartBody("scan-e2e-boundary")
            .field("dietary", "no_shellfish")
            .file("image", "menu.jpg", "image/jpeg", LocalScanStack.sample("menu-izakaya.jpg"));

    SseClient.Result result =
        client.send(
            SseClient.post(stack.scanUrl(), token("dave"), form.contentType(), form.build())
                .build());

    assertEquals(200, result.status(), result.body());
    assertTrue(
        result
            .transcript()
            .first("menu_data")
            .json()
            .getAsJsonArray("items")
            .toString()
            .contains("Agedashi tofu"));
    assertEquals("done", result.transcript().names().get(result.transcript().names().size() - 1));
  }

  @Test
  void badInputIsRefusedBeforeTheStream() throws Exception {
    int calls = stack.gemini.requests().size();

    SseClient.Result tooBig =
        scan("erin", Arrays.copyOf(LocalScanStack.sample("menu-diner.jpg"), 9 * 1024 * 1024), "");
    SseClient.Result notAPhoto = scan("erin", "hello".getBytes(StandardCharsets.UTF_8), "");
    SseClient.Result unknownField =
        scan("erin", LocalScanStack.sample("menu-diner.jpg"), ",\"colour\":\"red\"");

    assertEquals(413, tooBig.status(), tooBig.body());
    assertEquals(415, notAPhoto.status(), notAPhoto.body());
    assertEquals(400, unknownField.status(), unknownField.body());
    assertEquals(
        "application/problem+json",
        unknownField.response().headers().firstValue("Content-Type").orElseThrow());
    assertTrue(unknownField.body().contains("/colour"));
    assertEquals(calls, stack.gemini.requests().size(), "no model call");
  }

  @Test
  void aNineMegabyteFormIsRefusedWith413() throws Exception {
    MultipartBody form =
        new MultipartBody("scan-e2e-big")
            .file(
                "image",
                "menu.jpg",
                "image/jpeg",
                Arrays.copyOf(LocalScanStack.sample("menu-diner.jpg"), 9 * 1024 * 1024));

    SseClient.Result result =
        client.send(
            SseClient.post(stack.scanUrl(), token("erin"), form.contentType(), form.build())
                .build());

    assertEquals(413, result.status(), result.body() + stack.scan.logTail());
    assertEquals(
        "application/problem+json",
        result.response().headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void aRateLimitedVisionCallEndsTheStreamWithAProblem() throws Exception {
    stack.gemini.enqueue("gemini-2.5-flash", Answer.rateLimited());

    SseClient.Result result =
        scan("frank", LocalScanStack.sample("menu-izakaya.jpg"), ",\"dietary\":[\"no_beef\"]");

    assertEquals(List.of("status", "error"), result.transcript().names(), result.body());
    JsonObject problem = result.transcript().first("error").json();
    assertEquals(503, problem.get("status").getAsInt());
    assertEquals("https://mise.dev/problems/model-busy", problem.get("type").getAsString());
    assertTrue(problem.has("instance"));
  }

  @Test
  void aClientThatHangsUpDuringTheVisionCallStartsNoPicturesAndCanResume() throws Exception {
    stack.gemini.enqueue(
        "gemini-2.5-flash", new Answer.Delayed(Duration.ofMillis(3500), new Answer.Local()));
    long imagesBefore = imageCalls();

    SseClient.Result cut =
        client.send(
            SseClient.post(
                    stack.scanUrl(),
                    token("grace"),
                    "application/json",
                    json(LocalScanStack.sample("menu-izakaya.jpg"), ",\"dietary\":[\"halal\"]"))
                .build(),
            event -> event.name().equals("status"));
    String sessionId = cut.transcript().first("status").json().get("sessionId").getAsString();

    Map<String, Object> session = awaitSession(sessionId, "interrupted");
    assertEquals(2, ((List<?>) session.get("events")).size(), "the paid-for menu is stored");
    assertEquals(imagesBefore, imageCalls(), "no picture started for a client that left");

    SseClient.Result resumed =
        client.send(
            SseClient.get(stack.eventsUrl(sessionId), token("grace"), Map.of("Last-Event-ID", "1"))
                .build());
    assertEquals(
        List.of("menu_data", "image_update", "image_update", "image_update", "done"),
        resumed.transcript().names(),
        resumed.body());
    assertEquals(imagesBefore + 3, imageCalls());
  }

  private static Map<String, Object> awaitSession(String sessionId, String status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Optional<Map<String, Object>> doc = Optional.empty();
    while (System.nanoTime() < deadline) {
      doc = stack.store.get("scanSessions", sessionId);
      if (doc.isPresent() && status.equals(doc.get().get("status"))) {
        return doc.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "session "
            + sessionId
            + " never became "
            + status
            + ": "
            + doc
            + "\n"
            + stack.scan.logTail());
  }
}
