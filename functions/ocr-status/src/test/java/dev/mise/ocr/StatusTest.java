package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusTest {
  private final OcrTestKit kit = new OcrTestKit();
  private final Status status = new Status(kit.services);
  private final String jobId = "job0000000000000003";

  @BeforeEach
  void aliceHasAJob() {
    Map<String, Object> job =
        new HashMap<>(
            JobDocument.newJob(
                "alice", Instant.parse("2025-06-01T12:00:00Z"), Duration.ofDays(7), Map.of()));
    job.put(
        "files",
        java.util.List.of(
            Map.of("key", "ocr/x/page-1.png", "contentType", "image/png", "bytes", 10L)));
    kit.jobs.create(OcrJob.COLLECTION, jobId, job);
  }

  private FakeHttpResponse get(String path, String uid, Map<String, String> headers) {
    FakeHttpRequest request = FakeHttpRequest.get(path);
    if (uid != null) {
      request.header("Authorization", OcrTestKit.userToken(uid));
    }
    headers.forEach(request::header);
    FakeHttpResponse response = new FakeHttpResponse();
    status.service(request, response);
    return response;
  }

  @Test
  void theOwnerSeesTheJobAndNothingInternal() {
    FakeHttpResponse response = get(Status.PATH + jobId, "alice", Map.of());
    assertEquals(200, response.status());
    JsonObject body = response.json();
    assertEquals(jobId, body.get("jobId").getAsString());
    assertEquals("queued", body.get("status").getAsString());
    assertEquals("2025-06-01T12:00:00Z", body.get("createdAt").getAsString());
    assertFalse(body.has("owner"));
    assertFalse(body.has("files"));
    assertFalse(body.has("steps"));
  }

  @Test
  void someoneElsesJobAndUnknownIdsAreBoth404() {
    FakeHttpResponse other = get(Status.PATH + jobId, "mallory", Map.of());
    FakeHttpResponse unknown = get(Status.PATH + "nosuchjob", "alice", Map.of());
    assertEquals(404, other.status());
    assertEquals(404, unknown.status());
    assertEquals(other.json().get("detail"), unknown.json().get("detail"));
    assertEquals(404, get(Status.PATH + "..%2Fetc", "alice", Map.of()).status());
    assertEquals(401, get(Status.PATH + jobId, null, Map.of()).status());
  }

  @Test
  void aMatchingEtagIs304WithoutABody() {
    FakeHttpResponse first = get(Status.PATH + jobId, "alice", Map.of());
    String etag = first.header("ETag").orElseThrow();
    FakeHttpResponse again = get(Status.PATH + jobId, "alice", Map.of("If-None-Match", etag));
    assertEquals(304, again.status());
    assertEquals("", again.bodyText());

    kit.jobs.merge(
        OcrJob.COLLECTION,
        jobId,
        Map.of("status", "processing", "updatedAt", Instant.parse("2025-06-01T12:00:01Z")));
    FakeHttpResponse changed = get(Status.PATH + jobId, "alice", Map.of("If-None-Match", etag));
    assertEquals(200, changed.status());
    assertFalse(etag.equals(changed.header("ETag").orElseThrow()));
  }

  @Test
  void theEventStreamSendsEachChangeAndEndsWhenTheJobDoes() {
    // Each read of the stream's poll sees the job one stage further on.
    kit.jobs.merge(OcrJob.COLLECTION, jobId, Map.of("status", "queued"));
    Status streaming = new Status(progressing());
    FakeHttpRequest request =
        FakeHttpRequest.get(Status.PATH + jobId)
            .header("Authorization", OcrTestKit.userToken("alice"))
            .header("Accept", "text/event-stream");
    FakeHttpResponse response = new FakeHttpResponse();
    streaming.service(request, response);

    String events = response.bodyText();
    assertTrue(response.getContentType().orElseThrow().startsWith("text/event-stream"));
    assertEquals(3, events.split("event: status").length - 1, events);
    int queued = events.indexOf("\"status\":\"queued\"");
    int processing = events.indexOf("\"status\":\"processing\"");
    int completed = events.indexOf("\"status\":\"completed\"");
    assertTrue(queued >= 0 && queued < processing && processing < completed, events);
    assertTrue(events.contains("id: "), events);
  }

  /** Services whose job store moves the job on at each read after the first. */
  private OcrServices progressing() {
    String[] stages = {"queued", "processing", "processing", "completed"};
    int[] reads = {0};
    dev.mise.common.jobs.JobStore store =
        new dev.mise.common.jobs.JobStore() {
          @Override
          public java.util.Optional<Map<String, Object>> get(String collection, String id) {
            int read = Math.min(reads[0]++, stages.length - 1);
            kit.jobs.merge(
                collection,
                id,
                Map.of(
                    "status",
                    stages[read],
                    "updatedAt",
                    Instant.parse("2025-06-01T12:00:00Z").plusSeconds(read == 2 ? 1 : read)));
            return kit.jobs.get(collection, id);
          }

          @Override
          public boolean create(String collection, String id, Map<String, Object> fields) {
            return kit.jobs.create(collection, id, fields);
          }

          @Override
          public void merge(String collection, String id, Map<String, Object> fields) {
            kit.jobs.merge(collection, id, fields);
          }

          @Override
          public void delete(String collection, String id) {
            kit.jobs.delete(collection, id);
          }

          @Override
          public <T> T transact(
              String collection,
              String id,
              java.util.function.Function<java.util.Optional<Map<String, Object>>, Change<T>> fn) {
            return kit.jobs.transact(collection, id, fn);
          }

          @Override
          public java.util.List<Map<String, Object>> findEqual(
              String collection, String field, Object value, int limit) {
            return kit.jobs.findEqual(collection, field, value, limit);
          }
        };
    return new OcrServices.Builder(kit.env, OcrSettings.from(kit.env), java.time.Clock.systemUTC())
        .jobs(Lazy.ready(store))
        .users(Lazy.ready(dev.mise.common.auth.UserAuth.fromEnv(kit.env)))
        .build();
  }
}
