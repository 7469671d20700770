package dev.mise.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.MultipartBody;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every refusal happens before the stream starts: a problem+json 4xx, no model call, no session.
 * (The scripted models fail the test on any call, since nothing is scripted.)
 */
class ScanBadInputTest {

  private static final byte[] PHOTO = ScanStreamTest.PHOTO;
  private final ScanHarness harness = new ScanHarness();

  @AfterEach
  void nothingStarted() {
    assertEquals(List.of(), harness.scripted.requests(), "no model call");
    assertTrue(
        harness.store.paths().stream().noneMatch(p -> p.startsWith("scanSessions/")), "no session");
    harness
        .store
        .get("scanUsers", "alice")
        .ifPresent(
            user -> {
              assertEquals(0L, user.get("count"), "a refused request does not count");
              assertEquals(List.of(), user.get("running"));
            });
  }

  private JsonObject refused(FakeHttpRequest request, int status) {
    FakeHttpResponse response = harness.post(request);
    assertEquals(status, response.status(), response.bodyText());
    assertEquals("application/problem+json", response.getContentType().orElseThrow());
    JsonObject problem = response.json();
    assertEquals(status, problem.get("status").getAsInt());
    assertTrue(problem.has("instance"), "the request id");
    return problem;
  }

  private static String pointers(JsonObject problem) {
    JsonArray errors = problem.getAsJsonArray("errors");
    return errors == null ? "" : errors.toString();
  }

  private static FakeHttpRequest json(String body) {
    return FakeHttpRequest.post("/api/v1/scan/stream")
        .header("Authorization", "Bearer " + ScanHarness.token("alice"))
        .json(body);
  }

  private static FakeHttpRequest form(MultipartBody form) {
    return FakeHttpRequest.post("/api/v1/scan/stream")
        .header("Authorization", "Bearer " + ScanHarness.token("alice"))
        .body(form.contentType(), form.build());
  }

  @Test
  void nonImageBytes() {
    byte[] text = "this is not a photo of a menu".getBytes(StandardCharsets.UTF_8);
    JsonObject problem = refused(ScanHarness.jsonScan("alice", text, ""), 415);
    assertEquals(
        "https://mise.dev/problems/unsupported-media-type", problem.get("type").getAsString());
  }

  @Test
  void aPdfIsNotAPhoto() {
    refused(
        ScanHarness.jsonScan("alice", "%PDF-1.7\n...".getBytes(StandardCharsets.US_ASCII), ""),
        415);
  }

  @Test
  void badBase64() {
    JsonObject problem = refused(json("{\"image\":\"not base64!!\"}"), 400);
    assertTrue(pointers(problem).contains("\"/image\""), pointers(problem));
  }

  @Test
  void nineMegabytePhoto() {
    byte[] nine = Arrays.copyOf(PHOTO, 9 * 1024 * 1024);
    refused(ScanHarness.jsonScan("alice", nine, ""), 413);
  }

  @Test
  void nineMegabytePhotoAsMultipart() {
    byte[] nine = Arrays.copyOf(PHOTO, 9 * 1024 * 1024);
    MultipartBody form = new MultipartBody().file("image", "menu.jpg", "image/jpeg", nine);
    refused(form(form), 413);
  }

  @Test
  void missingImage() {
    JsonObject problem = refused(json("{\"targetLanguage\":\"en\"}"), 400);
    assertTrue(pointers(problem).contains("\"/image\""), pointers(problem));
  }

  @Test
  void missingImageInAForm() {
    MultipartBody form = new MultipartBody().field("targetLanguage", "en");
    JsonObject problem = refused(form(form), 400);
    assertTrue(pointers(problem).contains("\"/image\""), pointers(problem));
  }

  @Test
  void unknownJsonField() {
    JsonObject problem = refused(ScanHarness.jsonScan("alice", PHOTO, ",\"colour\":\"red\""), 400);
    assertTrue(pointers(problem).contains("\"/colour\""), pointers(problem));
  }

  @Test
  void unknownFormField() {
    MultipartBody form =
        new MultipartBody().file("image", "menu.jpg", "image/jpeg", PHOTO).field("colour", "red");
    JsonObject problem = refused(form(form), 400);
    assertTrue(pointers(problem).contains("\"/colour\""), pointers(problem));
  }

  @Test
  void unsupportedTargetLanguage() {
    JsonObject problem =
        refused(ScanHarness.jsonScan("alice", PHOTO, ",\"targetLanguage\":\"tlh\""), 400);
    assertTrue(pointers(problem).contains("\"/targetLanguage\""), pointers(problem));
  }

  @Test
  void malformedTargetLanguage() {
    refused(ScanHarness.jsonScan("alice", PHOTO, ",\"targetLanguage\":\"en_US; drop\""), 400);
  }

  @Test
  void unknownDietaryFilter() {
    JsonObject problem =
        refused(ScanHarness.jsonScan("alice", PHOTO, ",\"dietary\":[\"vegan\",\"paleo\"]"), 400);
    assertTrue(pointers(problem).contains("\"/dietary/1\""), pointers(problem));
  }

  @Test
  void dietaryOfTheWrongType() {
    JsonObject problem =
        refused(ScanHarness.jsonScan("alice", PHOTO, ",\"dietary\":\"vegan\""), 400);
    assertTrue(pointers(problem).contains("\"/dietary\""), pointers(problem));
  }

  @Test
  void declaredTypeThatTheBytesContradict() {
    JsonObject problem =
        refused(ScanHarness.jsonScan("alice", PHOTO, ",\"mimeType\":\"image/png\""), 400);
    assertTrue(pointers(problem).contains("\"/mimeType\""), pointers(problem));
  }

  @Test
  void emptyImage() {
    refused(json("{\"image\":\"\"}"), 400);
  }

  @Test
  void notJson() {
    refused(json("{\"image\": "), 400);
  }

  @Test
  void otherContentTypes() {
    refused(
        FakeHttpRequest.post("/api/v1/scan/stream")
            .header("Authorization", "Bearer " + ScanHarness.token("alice"))
            .body("image/jpeg", PHOTO),
        415);
  }

  @Test
  void noToken() {
    FakeHttpRequest request =
        FakeHttpRequest.post("/api/v1/scan/stream")
            .json("{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(PHOTO) + "\"}");
    FakeHttpResponse response = harness.post(request);
    assertEquals(401, response.status());
    assertTrue(response.header("WWW-Authenticate").isPresent());
  }

  @Test
  void aClientThatCannotTakeAnEventStream() {
    refused(
        json("{\"image\":\"" + java.util.Base64.getEncoder().encodeToString(PHOTO) + "\"}")
            .header("Accept", "application/json"),
        406);
  }

  @Test
  void onlyPost() {
    FakeHttpResponse response =
        harness.post(
            FakeHttpRequest.get("/api/v1/scan/stream")
                .header("Authorization", "Bearer " + ScanHarness.token("alice")));
    assertEquals(405, response.status());
    assertEquals("POST", response.header("Allow").orElseThrow());
  }
}
