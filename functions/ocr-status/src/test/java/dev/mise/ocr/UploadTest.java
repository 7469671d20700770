package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.http.Problem;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.MultipartBody;
import dev.mise.common.testing.ScriptedModels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadTest {
  private final OcrTestKit kit = new OcrTestKit();
  private final Upload upload = new Upload(kit.services);
  private final byte[] pancakes = OcrTestKit.sample("pancakes.png");

  private FakeHttpResponse post(MultipartBody body, String token, String key) {
    FakeHttpRequest request =
        FakeHttpRequest.post("/api/ocr/upload").body(body.contentType(), body.build());
    if (token != null) {
      request.header("Authorization", token);
    }
    if (key != null) {
      request.header("Idempotency-Key", key);
    }
    FakeHttpResponse response = new FakeHttpResponse();
    upload.service(request, response);
    return response;
  }

  private FakeHttpResponse post(MultipartBody body) {
    return post(body, OcrTestKit.userToken("alice"), null);
  }

  private MultipartBody pages(byte[]... images) {
    MultipartBody body = new MultipartBody();
    for (int i = 0; i < images.length; i++) {
      body.file("image", "page" + i + ".png", "image/png", images[i]);
    }
    return body;
  }

  private void assertNothingHappened(FakeHttpResponse response, int status) {
    assertEquals(status, response.status(), response.bodyText());
    assertEquals(Problem.MEDIA_TYPE, response.getContentType().orElseThrow());
    assertTrue(kit.blobs.keys().isEmpty(), "nothing stored");
    assertTrue(kit.jobs.paths().isEmpty(), "no job");
    assertTrue(kit.bus.published().isEmpty(), "nothing published");
    assertTrue(kit.models.requests().isEmpty(), "no model call");
  }

  @Test
  void acceptsPagesAndAnswers202WithAStatusUrl() {
    FakeHttpResponse response = post(pages(pancakes, OcrTestKit.sample("lemon-cake-photo.jpg")));

    assertEquals(202, response.status(), response.bodyText());
    JsonObject body = response.json();
    String jobId = body.get("jobId").getAsString();
    assertEquals("queued", body.get("status").getAsString());
    assertEquals("/api/ocr/status/" + jobId, body.get("statusUrl").getAsString());
    assertEquals("/api/ocr/status/" + jobId, response.header("Location").orElseThrow());

    Map<String, Object> job = kit.jobs.get(OcrJob.COLLECTION, jobId).orElseThrow();
    assertEquals("queued", job.get("status"));
    assertEquals("alice", job.get("owner"));
    assertEquals(((Instant) job.get("createdAt")).plus(Duration.ofDays(7)), job.get("expireAt"));
    assertEquals(2, OcrJob.pages(job).size());
    assertEquals("image/jpeg", OcrJob.pages(job).get(1).contentType());
    assertEquals(
        java.util.List.of("ocr/" + jobId + "/page-1.png", "ocr/" + jobId + "/page-2.jpg"),
        kit.blobs.keys());
    assertEquals(1, kit.bus.published("ocr-jobs").size());
    assertEquals(jobId, kit.bus.published().get(0).attributes().get("jobId"));
    assertTrue(kit.models.requests().isEmpty(), "the upload itself calls no model");
  }

  @Test
  void badUploadsAre4xxAndTouchNothing() {
    assertNothingHappened(
        post(
            new MultipartBody()
                .file("image", "recipe.jpg", "image/jpeg", "a text file".getBytes())),
        415);
    assertNothingHappened(
        post(new MultipartBody().file("image", "a.png", "image/png", new byte[0])), 400);
    byte[] eleven = new byte[11 << 20];
    System.arraycopy(pancakes, 0, eleven, 0, pancakes.length);
    assertNothingHappened(post(pages(eleven)), 413);
    byte[][] many = new byte[11][];
    java.util.Arrays.fill(many, pancakes);
    assertNothingHappened(post(pages(many)), 400);
    assertNothingHappened(post(new MultipartBody().field("note", "no image")), 400);
    assertNothingHappened(post(new MultipartBody()), 400);

    FakeHttpResponse json = new FakeHttpResponse();
    upload.service(
        FakeHttpRequest.post("/api/ocr/upload")
            .header("Authorization", OcrTestKit.userToken("alice"))
            .json("{\"image\":\"base64...\"}"),
        json);
    assertNothingHappened(json, 415);

    MultipartBody cut = pages(pancakes);
    FakeHttpResponse truncated = new FakeHttpResponse();
    upload.service(
        FakeHttpRequest.post("/api/ocr/upload")
            .header("Authorization", OcrTestKit.userToken("alice"))
            .body(cut.contentType(), cut.buildTruncated()),
        truncated);
    assertNothingHappened(truncated, 400);
  }

  @Test
  void missingExpiredOrForgedTokensAre401() {
    FakeHttpResponse none = post(pages(pancakes), null, null);
    assertNothingHappened(none, 401);
    assertTrue(none.header("WWW-Authenticate").orElseThrow().startsWith("Bearer"));
    String expired =
        "Bearer "
            + LocalToken.forUser(
                "alice",
                OcrTestKit.PROJECT,
                Instant.now().minus(Duration.ofHours(2)),
                Duration.ofHours(1));
    assertNothingHappened(post(pages(pancakes), expired, null), 401);
    String forged =
        OcrTestKit.userToken("alice")
            .replace("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9");
    assertNothingHappened(post(pages(pancakes), forged, null), 401);
  }

  @Test
  void anIdempotencyKeyReturnsTheSameJobAndRefusesOtherPages() {
    String token = OcrTestKit.userToken("alice");
    FakeHttpResponse first = post(pages(pancakes), token, "k-123");
    FakeHttpResponse again = post(pages(pancakes), token, "k-123");
    assertEquals(202, again.status());
    assertEquals(first.json().get("jobId"), again.json().get("jobId"));
    assertEquals("true", again.header("Idempotent-Replayed").orElseThrow());
    assertEquals(1, kit.jobs.paths().size());

    FakeHttpResponse other = post(pages(OcrTestKit.sample("tomato-soup-1.png")), token, "k-123");
    assertEquals(422, other.status());
    assertEquals(1, kit.jobs.paths().size());

    FakeHttpResponse bob = post(pages(pancakes), OcrTestKit.userToken("bob"), "k-123");
    assertNotEquals(first.json().get("jobId"), bob.json().get("jobId"), "keys are per user");
  }

  @Test
  void whenPublishingFailsTheOcrRunsInTheRequest() {
    kit.bus.failNext(1);
    kit.models.then(
        ScriptedModels.text("Fluffy Pancakes\n200 g plain flour\n2 eggs"),
        ScriptedModels.text(RecipeExtractorTest.PANCAKES));

    FakeHttpResponse response = post(pages(pancakes));

    assertEquals(200, response.status(), response.bodyText());
    JsonObject body = response.json();
    assertEquals("sync", body.get("mode").getAsString());
    assertEquals("completed", body.get("status").getAsString());
    assertEquals(
        "Pancakes",
        body.getAsJsonObject("result").getAsJsonObject("recipe").get("title").getAsString());
    assertTrue(kit.tasks.tasks().isEmpty(), "no queue in the synchronous path");
    assertEquals(2, kit.models.requests().size());
  }
}
