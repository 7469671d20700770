package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.auth.LocalToken;
import dev.mise.common.config.Env;
import dev.mise.common.events.PubSubEventBus;
import dev.mise.common.jobs.FirestoreJobStore;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.testing.MultipartBody;
import dev.mise.emulators.gemini.Answer;
import dev.mise.emulators.google.SharedEmulators;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The OCR product end to end: the five functions under the invoker, reached over HTTP, chained by
 * the Pub/Sub emulator with the Eventarc stand-in and by the Cloud Tasks emulator, job state in the
 * Firestore emulator, pages read by the Gemini stand-in (tesseract, so the text is the page's).
 */
@Tag("e2e")
class OcrEndToEndTest {
  private static final String PROJECT = "demo-ocr-e2e";
  private static OcrStack stack;
  private static FirestoreJobStore firestore;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    stack = OcrStack.start(PROJECT, 3);
    firestore =
        new FirestoreJobStore(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    PROJECT,
                    "FIRESTORE_EMULATOR_HOST",
                    SharedEmulators.firestore().host())));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    if (http != null) {
      http.close();
    }
    if (firestore != null) {
      firestore.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void freshStandIn() {
    stack.gemini.reset();
  }

  private static String token(String uid) {
    return "Bearer " + LocalToken.forUser(uid, PROJECT, Instant.now(), Duration.ofHours(1));
  }

  private static HttpResponse<String> upload(String uid, MultipartBody body, boolean sync)
      throws Exception {
    return upload(uid, body.contentType(), body.build(), sync);
  }

  private static HttpResponse<String> upload(
      String uid, String contentType, byte[] body, boolean sync) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(stack.url(sync ? stack.syncUpload : stack.upload, "/api/ocr/upload"))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (uid != null) {
      request.header("Authorization", token(uid));
    }
    // A fresh client per upload: after refusing a body the server may close the connection, and
    // a pooled connection it closed would fail the next request before it is sent.
    try (HttpClient fresh = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return fresh.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /**
   * The status line of an upload sent over a plain socket. The server answers 413 before it has
   * read the whole body and then closes the connection; java.net.http gives up on the request when
   * its write fails, while a real client (curl, a browser) still reads the answer. So the body is
   * written on another thread, its failure ignored, and the answer read here.
   */
  private static int rawUploadStatus(String uid, String contentType, byte[] body) throws Exception {
    java.net.URI uri = stack.url(stack.upload, "/api/ocr/upload");
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      String head =
          "POST "
              + uri.getRawPath()
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nAuthorization: "
              + token(uid)
              + "\r\nContent-Type: "
              + contentType
              + "\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      var out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write(body);
                      out.flush();
                    } catch (java.io.IOException refused) {
                      // The server stopped reading: expected once it has answered.
                    }
                  });
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      writer.join(Duration.ofSeconds(5));
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  private static HttpResponse<String> status(String uid, String jobId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(stack.url(stack.status, "/api/ocr/status/" + jobId))
            .header("Authorization", token(uid))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Follows the SSE form until the stream ends; returns the statuses in order. */
  private static List<JsonObject> follow(String uid, String jobId) throws Exception {
    List<JsonObject> events = new ArrayList<>();
    Instant giveUp = Instant.now().plus(Duration.ofSeconds(90));
    String lastId = null;
    while (Instant.now().isBefore(giveUp)) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(stack.url(stack.status, "/api/ocr/status/" + jobId))
              .header("Authorization", token(uid))
              .header("Accept", "text/event-stream");
      if (lastId != null) {
        request.header("Last-Event-ID", lastId);
      }
      HttpResponse<java.io.InputStream> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("id: ")) {
            lastId = line.substring(4);
          } else if (line.startsWith("data: ")) {
            events.add(JsonParser.parseString(line.substring(6)).getAsJsonObject());
          }
        }
      }
      String last =
          events.isEmpty() ? "" : events.get(events.size() - 1).get("status").getAsString();
      if (last.equals("completed") || last.equals("failed")) {
        return events;
      }
    }
    throw new AssertionError("the job did not finish: " + events);
  }

  private static MultipartBody pages(String... samples) throws Exception {
    MultipartBody body = new MultipartBody();
    for (String sample : samples) {
      body.file("image", sample, "application/octet-stream", OcrStack.sample(sample));
    }
    return body;
  }

  @Test
  void aPhotographedRecipeGoesFromQueuedToACompletedRecipe() throws Exception {
    HttpResponse<String> accepted =
        upload("alice", pages("tomato-soup-1.png", "tomato-soup-2.png"), false);
    assertEquals(202, accepted.statusCode(), accepted.body());
    String jobId =
        JsonParser.parseString(accepted.body()).getAsJsonObject().get("jobId").getAsString();

    List<JsonObject> events = follow("alice", jobId);

    List<String> statuses =
        events.stream().map(e -> e.get("status").getAsString()).distinct().toList();
    assertEquals("completed", statuses.get(statuses.size() - 1), events.toString());
    assertTrue(
        statuses.indexOf("completed") > 0, "at least one status before completed: " + statuses);
    JsonObject result = events.get(events.size() - 1).getAsJsonObject("result");
    String rawText = result.get("rawText").getAsString();
    assertTrue(rawText.contains("ripe tomatoes"), rawText);
    assertTrue(
        rawText.indexOf("INGREDIENTS") < rawText.indexOf("METHOD"), "page order kept: " + rawText);
    JsonObject recipe = result.getAsJsonObject("recipe");
    assertTrue(recipe.getAsJsonArray("ingredients").size() > 0, recipe.toString());
    assertEquals(3, stack.gemini.requests().size(), "two pages read, one cleanup");

    HttpResponse<String> others = status("mallory", jobId);
    assertEquals(404, others.statusCode());
  }

  @Test
  void badUploadsAreRefusedBeforeAnythingHappens() throws Exception {
    assertEquals(
        415,
        upload(
                "alice",
                new MultipartBody()
                    .file("image", "recipe.jpg", "image/jpeg", "plain text".getBytes()),
                false)
            .statusCode());
    byte[] big = new byte[11 << 20];
    MultipartBody oversized = new MultipartBody().file("image", "big.jpg", "image/jpeg", big);
    assertEquals(413, rawUploadStatus("alice", oversized.contentType(), oversized.build()));
    MultipartBody cut = pages("pancakes.png");
    assertEquals(400, upload("alice", cut.contentType(), cut.buildTruncated(), false).statusCode());
    assertEquals(401, upload(null, pages("pancakes.png"), false).statusCode());
    assertTrue(stack.gemini.requests().isEmpty());
  }

  @Test
  void invalidModelOutputFailsTheJobWithACode() throws Exception {
    stack.gemini.enqueue(new Answer.Local()); // the page's OCR
    stack.gemini.enqueue(Answer.text("this is not JSON"));
    stack.gemini.enqueue(Answer.text("{\"title\": 7}"));
    String jobId = jobIdOf(upload("alice", pages("pancakes.png"), false));

    List<JsonObject> events = follow("alice", jobId);

    JsonObject last = events.get(events.size() - 1);
    assertEquals("failed", last.get("status").getAsString());
    assertEquals("invalid_model_output", last.getAsJsonObject("error").get("code").getAsString());
    assertEquals(3, stack.gemini.requests().size(), "OCR, cleanup, one repair: no loop");
  }

  @Test
  void rateLimitsAreRetriedByTheQueueThenFailTheJobWithADeadLetter() throws Exception {
    stack.gemini.enqueue(new Answer.Local());
    for (int i = 0; i < 3; i++) {
      stack.gemini.enqueue(Answer.rateLimited());
    }
    String jobId = jobIdOf(upload("alice", pages("pancakes.png"), false));

    List<JsonObject> events = follow("alice", jobId);

    JsonObject last = events.get(events.size() - 1);
    assertEquals("failed", last.get("status").getAsString());
    assertEquals("model_rate_limited", last.getAsJsonObject("error").get("code").getAsString());
    assertEquals(4, stack.gemini.requests().size(), "one OCR call, three cleanup attempts");
    assertTrue(deadLetter("ocrJobs-" + jobId + "-cleanup-1").isPresent());
  }

  @Test
  void withoutPubSubTheUploadRunsTheOcrItself() throws Exception {
    HttpResponse<String> response = upload("alice", pages("lemon-cake-photo.jpg"), true);
    assertEquals(200, response.statusCode(), response.body());
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    assertEquals("sync", body.get("mode").getAsString());
    assertEquals("completed", body.get("status").getAsString(), body.toString());
    assertTrue(
        body.getAsJsonObject("result").get("rawText").getAsString().contains("Lemon"),
        body.toString());
  }

  @Test
  void aDeadLetteredMessageFailsItsStrandedJobWithACodeTheOwnerSees() throws Exception {
    // A job the worker gave back after a failure and never took again: its message ran out of
    // deliveries, and Pub/Sub republished it on the dead-letter topic.
    String jobId = JobDocument.newId();
    firestore.create(
        OcrJob.COLLECTION,
        jobId,
        JobDocument.newJob("alice", Instant.now(), Duration.ofDays(1), Map.of()));
    firestore.merge(
        OcrJob.COLLECTION,
        jobId,
        Map.of(
            "status", "processing",
            "steps.ocr.state", "retrying",
            "steps.ocr.attempt", 1L,
            "steps.ocr.leaseExpiry", Instant.now(),
            "steps.ocr.lastError", "java.net.SocketException: Connection reset"));
    try (PubSubEventBus bus =
        new PubSubEventBus(
            new Env(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    PROJECT,
                    "PUBSUB_EMULATOR_HOST",
                    SharedEmulators.pubsub().host())))) {
      bus.publish(
          "ocr-jobs-dead",
          ("{\"jobId\":\"" + jobId + "\"}").getBytes(StandardCharsets.UTF_8),
          Map.of("jobId", jobId, "CloudPubSubDeadLetterSourceDeliveryCount", "5"));
    }

    List<JsonObject> events = follow("alice", jobId);

    JsonObject last = events.get(events.size() - 1);
    assertEquals("failed", last.get("status").getAsString());
    assertEquals("delivery_exhausted", last.getAsJsonObject("error").get("code").getAsString());
    Map<String, Object> letter = deadLetter("ocrJobs-" + jobId + "-ocr-1").orElseThrow();
    assertEquals(5L, letter.get("attempts"));
    assertTrue(String.valueOf(letter.get("cause")).contains("Connection reset"), letter.toString());
  }

  /**
   * The dead-letter record, waiting a little for it: the step runner writes it right after the
   * job's failure, which the status stream may already have shown.
   */
  private static java.util.Optional<Map<String, Object>> deadLetter(String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    java.util.Optional<Map<String, Object>> letter = firestore.get("deadLetters", id);
    while (letter.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      letter = firestore.get("deadLetters", id);
    }
    return letter;
  }

  private static String jobIdOf(HttpResponse<String> accepted) {
    assertEquals(202, accepted.statusCode(), accepted.body());
    return JsonParser.parseString(accepted.body()).getAsJsonObject().get("jobId").getAsString();
  }
}
