package dev.mise.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mise.common.auth.UserAuth;
import dev.mise.common.jobs.JobStore;
import dev.mise.common.pipeline.JobDocument;
import dev.mise.common.testing.FakeHttpRequest;
import dev.mise.common.testing.FakeHttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
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
        List.of(Map.of("key", "ocr/x/page-1.png", "contentType", "image/png", "bytes", 10L)));
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

  private FakeHttpResponse stream(Status streaming, String uri, Map<String, String> headers) {
    FakeHttpRequest request =
        FakeHttpRequest.get(uri)
            .header("Authorization", OcrTestKit.userToken("alice"))
            .header("Accept", "text/event-stream");
    headers.forEach(request::header);
    FakeHttpResponse response = new FakeHttpResponse();
    streaming.service(request, response);
    return response;
  }

  @Test
  void theEventStreamSendsEachChangeAndEndsWhenTheJobDoes() {
    // Each read of the stream's poll sees the job one stage further on.
    kit.jobs.merge(OcrJob.COLLECTION, jobId, Map.of("status", "queued"));
    FakeHttpResponse response = stream(new Status(progressing()), Status.PATH + jobId, Map.of());

    String events = response.bodyText();
    assertTrue(response.getContentType().orElseThrow().startsWith("text/event-stream"));
    assertEquals(3, events.split("event: status").length - 1, events);
    int queued = events.indexOf("\"status\":\"queued\"");
    int processing = events.indexOf("\"status\":\"processing\"");
    int completed = events.indexOf("\"status\":\"completed\"");
    assertTrue(queued >= 0 && queued < processing && processing < completed, events);
    assertTrue(events.contains("id: "), events);
    // The shared writer's framing: reconnect delay first, an id on every event, no buffering.
    assertTrue(events.startsWith("retry: 3000\n\n"), events);
    assertEquals(3, events.split("\nid: ").length - 1, events);
    assertEquals("no-cache, no-transform", response.header("Cache-Control").orElseThrow());
    assertEquals("no", response.header("X-Accel-Buffering").orElseThrow());
  }

  @Test
  void aReconnectWithTheLastEventIdDoesNotRepeatIt() {
    kit.jobs.merge(OcrJob.COLLECTION, jobId, Map.of("status", "completed"));
    String etag = get(Status.PATH + jobId, "alice", Map.of()).header("ETag").orElseThrow();
    String seen = etag.replace("\"", "");

    String byHeader = stream(status, Status.PATH + jobId, Map.of("Last-Event-ID", seen)).bodyText();
    String byQuery =
        stream(status, Status.PATH + jobId + "?lastEventId=" + seen, Map.of()).bodyText();
    String fresh = stream(status, Status.PATH + jobId, Map.of()).bodyText();

    assertFalse(byHeader.contains("event: status"), byHeader);
    assertFalse(byQuery.contains("event: status"), byQuery);
    assertTrue(fresh.contains("id: " + seen + "\nevent: status\n"), fresh);
  }

  @Test
  void aJobThatDisappearsEndsTheStreamWithAProblemEvent() {
    FakeHttpResponse response =
        stream(
            new Status(
                reading(
                    read -> read == 0 ? kit.jobs.get(OcrJob.COLLECTION, jobId) : Optional.empty())),
            Status.PATH + jobId,
            Map.of());

    String events = response.bodyText();
    int error = events.indexOf("event: error\n");
    assertTrue(error > events.indexOf("event: status\n"), events);
    String data = events.substring(events.indexOf("data: ", error) + 6).trim();
    JsonObject problem = JsonParser.parseString(data).getAsJsonObject();
    assertEquals(404, problem.get("status").getAsInt());
    assertTrue(events.substring(0, error).matches("(?s).*\n\nid: [0-9a-f]+\n"), "an id: " + events);
  }

  /** Services whose job store moves the job on at each read after the first. */
  private OcrServices progressing() {
    String[] stages = {"queued", "processing", "processing", "completed"};
    return reading(
        read -> {
          int stage = Math.min(read, stages.length - 1);
          kit.jobs.merge(
              OcrJob.COLLECTION,
              jobId,
              Map.of(
                  "status",
                  stages[stage],
                  "updatedAt",
                  Instant.parse("2025-06-01T12:00:00Z").plusSeconds(stage == 2 ? 1 : stage)));
          return kit.jobs.get(OcrJob.COLLECTION, jobId);
        });
  }

  /** Services whose job store answers its n-th read of the job (from 0) with {@code reads}. */
  private OcrServices reading(IntFunction<Optional<Map<String, Object>>> reads) {
    int[] count = {0};
    JobStore store =
        new JobStore() {
          @Override
          public Optional<Map<String, Object>> get(String collection, String id) {
            return reads.apply(count[0]++);
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
              String collection, String id, Function<Optional<Map<String, Object>>, Change<T>> fn) {
            return kit.jobs.transact(collection, id, fn);
          }

          @Override
          public List<Map<String, Object>> findEqual(
              String collection, String field, Object value, int limit) {
            return kit.jobs.findEqual(collection, field, value, limit);
          }
        };
    return new OcrServices.Builder(kit.env, OcrSettings.from(kit.env), Clock.systemUTC())
        .jobs(Lazy.ready(store))
        .users(Lazy.ready(UserAuth.fromEnv(kit.env)))
        .build();
  }
}
