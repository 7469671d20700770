package dev.mise.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.mise.common.sse.SseEvent;
import dev.mise.common.testing.FakeHttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/scan/{sessionId}/events, and what a client that leaves mid-scan leaves behind: the
 * paid-for work finished and stored, nothing new started, everything there for a resume.
 */
class ScanResumeTest {

  private final ScanHarness harness = new ScanHarness();

  private String scan() {
    harness.answerEveryScan();
    SseTranscript stream = harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));
    return stream.first("status").json().get("sessionId").getAsString();
  }

  @Test
  void lastEventIdReplaysOnlyWhatWasMissed() {
    String sessionId = scan();

    FakeHttpResponse response = new FakeHttpResponse();
    harness.events.service(ScanHarness.resume("alice", sessionId, "2"), response);

    assertEquals(200, response.status());
    assertEquals("no-cache, no-transform", response.header("Cache-Control").orElseThrow());
    SseTranscript replay = SseTranscript.parse(response.bodyText());
    assertEquals(3000L, replay.retry());
    assertEquals(List.of("3", "4", "5", "6"), replay.ids());
    assertEquals(List.of("image_update", "image_update", "image_update", "done"), replay.names());
  }

  @Test
  void withoutLastEventIdEverythingIsReplayed() {
    String sessionId = scan();

    SseTranscript replay = harness.follow(ScanHarness.resume("alice", sessionId, null));

    assertEquals(6, replay.events().size());
  }

  @Test
  void theQueryParameterWorksForClientsThatCannotSetHeaders() {
    String sessionId = scan();

    SseTranscript replay =
        harness.follow(
            dev.mise.common.testing.FakeHttpRequest.get(
                    "/api/v1/scan/" + sessionId + "/events?lastEventId=5")
                .header("Authorization", "Bearer " + ScanHarness.token("alice")));

    assertEquals(List.of("6"), replay.ids());
  }

  @Test
  void someoneElsesScanIsNotFound() {
    String sessionId = scan();

    FakeHttpResponse response = new FakeHttpResponse();
    harness.events.service(ScanHarness.resume("mallory", sessionId, null), response);

    assertEquals(404, response.status());
    assertEquals("application/problem+json", response.getContentType().orElseThrow());
  }

  @Test
  void anUnknownScanIsNotFound() {
    FakeHttpResponse response = new FakeHttpResponse();
    harness.events.service(
        ScanHarness.resume("alice", "0123456789abcdef0123456789abcdef", null), response);
    assertEquals(404, response.status());

    FakeHttpResponse bad = new FakeHttpResponse();
    harness.events.service(ScanHarness.resume("alice", "..%2F..", null), bad);
    assertEquals(404, bad.status());
  }

  @Test
  void aRunningScanIsFollowedLive() {
    // A scan running on another instance: the follower sees its document grow between reads.
    String sessionId = "feedfacefeedfacefeedfacefeedface";
    List<SseEvent> log = new ArrayList<>();
    log.add(SseEvent.json("1", "status", status(sessionId)));
    writeSession(sessionId, "running", log);
    AtomicInteger reads = new AtomicInteger();
    harness.pause =
        duration -> {
          switch (reads.incrementAndGet()) {
            case 1 -> {
              log.add(
                  new SseEvent(
                      "2", "menu_data", "{\"sessionId\":\"" + sessionId + "\",\"items\":[]}"));
              writeSession(sessionId, "running", log);
            }
            case 2 -> {} // nothing new this time
            default -> {
              log.add(
                  new SseEvent(
                      "3", "done", "{\"sessionId\":\"" + sessionId + "\",\"cached\":false}"));
              writeSession(sessionId, "done", log);
            }
          }
        };

    SseTranscript followed = harness.follow(ScanHarness.resume("alice", sessionId, "1"));

    assertEquals(List.of("2", "3"), followed.ids());
    assertEquals(3, reads.get());
  }

  @Test
  void aScanWhoseInstanceDiedIsDeclaredLost() {
    String sessionId = "deaddeaddeaddeaddeaddeaddeaddead";
    writeSession(sessionId, "running", List.of(SseEvent.json("1", "status", status(sessionId))));
    harness.clock.advance(Duration.ofMinutes(10));

    SseTranscript followed = harness.follow(ScanHarness.resume("alice", sessionId, "1"));

    assertEquals(List.of("error"), followed.names());
    assertEquals("2", followed.first("error").id());
    assertEquals(
        "https://mise.dev/problems/session-lost",
        followed.first("error").json().get("type").getAsString());
    assertEquals("failed", harness.session(sessionId).get("status"));
  }

  @Test
  void aClientLostDuringTheVisionCallStartsNoPicturesAndAResumeFinishesTheScan() {
    harness.answerEveryScan();
    // Flush 1 is retry, 2 is status; the client is gone when menu_data is written (flush 3).
    ScanHarness.DroppingResponse response = new ScanHarness.DroppingResponse(3);
    harness.scan.service(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""), response);

    assertEquals(List.of("status"), response.transcript().names());
    String sessionId = response.transcript().first("status").json().get("sessionId").getAsString();
    Map<String, Object> session = harness.session(sessionId);
    assertEquals("interrupted", session.get("status"));
    assertEquals(2, ((List<?>) session.get("events")).size(), "status and the paid-for menu_data");
    assertEquals(0, harness.imageCalls(), "nothing new is started for a gone client");
    assertEquals(1, harness.scripted.requests().size());

    SseTranscript resumed = harness.follow(ScanHarness.resume("alice", sessionId, "1"));

    assertEquals(
        List.of("menu_data", "image_update", "image_update", "image_update", "done"),
        resumed.names());
    assertEquals(List.of("2", "3", "4", "5", "6"), resumed.ids());
    assertEquals(3, harness.imageCalls());
    assertEquals(
        1,
        harness.scripted.requests().stream().filter(ScanHarness::isVision).count(),
        "no second vision call");
    assertEquals("done", harness.session(sessionId).get("status"));
    for (SseTranscript.Event update : resumed.named("image_update")) {
      String url = update.json().get("imageUrl").getAsString();
      assertTrue(url.contains("/assets/gen/" + sessionId + "/"), url);
    }
  }

  @Test
  void aClientLostDuringTheVisionCallLeavesTheMenuForACacheHit() {
    harness.answerEveryScan();
    harness.scan.service(
        ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""),
        new ScanHarness.DroppingResponse(3));

    SseTranscript again = harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));

    assertEquals(
        1,
        harness.scripted.requests().stream().filter(ScanHarness::isVision).count(),
        "the menu is reused");
    assertEquals(3, again.named("image_update").size());
    assertEquals("done", again.names().get(again.names().size() - 1));
  }

  @Test
  void picturesInFlightWhenTheClientLeavesAreFinishedAndStored() {
    harness.answerEveryScan();
    // Flush 4 is the probe before the pictures start; the client is gone when the first
    // image_update is written (flush 5), with the three pictures already started.
    ScanHarness.DroppingResponse response = new ScanHarness.DroppingResponse(5);
    harness.scan.service(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""), response);

    assertEquals(List.of("status", "menu_data"), response.transcript().names());
    String sessionId = response.transcript().first("status").json().get("sessionId").getAsString();
    assertEquals(3, harness.imageCalls());
    assertEquals(
        3,
        harness.blobs.keys().stream().filter(k -> k.startsWith("gen/" + sessionId + "/")).count());
    assertEquals("done", harness.session(sessionId).get("status"));

    SseTranscript resumed = harness.follow(ScanHarness.resume("alice", sessionId, "2"));
    assertEquals(List.of("image_update", "image_update", "image_update", "done"), resumed.names());

    SseTranscript cached = harness.stream(ScanHarness.jsonScan("bob", ScanStreamTest.PHOTO, ""));
    assertTrue(cached.first("done").json().get("cached").getAsBoolean());
    assertEquals(3, harness.imageCalls());
  }

  @Test
  void aClientGoneWhenThePicturesWouldStartIsNoticedByTheProbe() {
    harness.answerEveryScan();
    // menu_data (flush 3) still reached the socket; the probe (flush 4) finds the client gone.
    ScanHarness.DroppingResponse response = new ScanHarness.DroppingResponse(4);
    harness.scan.service(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""), response);

    assertEquals(List.of("status", "menu_data"), response.transcript().names());
    assertEquals(0, harness.imageCalls());
    String sessionId = response.transcript().first("status").json().get("sessionId").getAsString();
    assertEquals("interrupted", harness.session(sessionId).get("status"));
  }

  @Test
  void aClientGoneBeforeTheVisionCallStartsNothing() {
    ScanHarness.DroppingResponse response = new ScanHarness.DroppingResponse(2);
    harness.scan.service(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""), response);

    assertEquals(List.of(), harness.scripted.requests());
    assertFalse(
        harness.logLines().stream()
            .noneMatch(l -> l.get("message").getAsString().equals("scan failed:client_gone")));
  }

  private static JsonObject status(String sessionId) {
    JsonObject status = new JsonObject();
    status.addProperty("sessionId", sessionId);
    status.addProperty("stage", "analyzing");
    return status;
  }

  private void writeSession(String sessionId, String status, List<SseEvent> events) {
    List<Object> stored = new ArrayList<>();
    for (SseEvent event : events) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", event.id());
      entry.put("name", event.name());
      entry.put("data", event.data());
      stored.add(entry);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("uid", "alice");
    doc.put("status", status);
    doc.put("events", stored);
    doc.put("images", List.of());
    doc.put("createdAt", harness.clock.instant());
    doc.put("updatedAt", harness.clock.instant());
    harness.store.merge("scanSessions", sessionId, doc);
  }
}
