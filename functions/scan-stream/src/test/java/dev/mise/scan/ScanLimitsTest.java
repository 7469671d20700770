package dev.mise.scan;

import static dev.mise.common.testing.ScriptedModels.media;
import static dev.mise.common.testing.ScriptedModels.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.http.ProblemException;
import dev.mise.common.testing.FakeHttpResponse;
import dev.mise.common.testing.InMemoryJobStore;
import dev.mise.common.testing.MovableClock;
import dev.mise.scan.limits.ScanLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScanLimitsTest {

  private final InMemoryJobStore store = new InMemoryJobStore();
  private final MovableClock clock = new MovableClock(Instant.parse("2025-06-01T22:00:00Z"));
  private final ScanLimits limits = new ScanLimits(store, 2, 3, Duration.ofMinutes(5), clock);

  @Test
  void concurrentScansAreCappedWithRetryAfter() {
    limits.acquire("alice", "s1");
    limits.acquire("alice", "s2");

    ProblemException refused =
        assertThrows(ProblemException.class, () -> limits.acquire("alice", "s3"));

    assertEquals(429, refused.problem().status());
    assertEquals("https://mise.dev/problems/too-many-scans", refused.problem().type());
    assertEquals("10", refused.headers().get("Retry-After"));
    limits.acquire("bob", "s4"); // other users are not affected
  }

  @Test
  void aFinishedScanFreesItsSlot() {
    limits.acquire("alice", "s1");
    limits.acquire("alice", "s2");
    limits.release("alice", "s1");

    limits.acquire("alice", "s3");
  }

  @Test
  void aCrashedScanFreesItsSlotWhenTheLeaseExpires() {
    limits.acquire("alice", "s1");
    limits.acquire("alice", "s2");
    clock.advance(Duration.ofMinutes(6));

    limits.acquire("alice", "s3");
  }

  @Test
  void dailyQuotaUntilMidnightUtc() {
    for (String id : List.of("s1", "s2", "s3")) {
      limits.acquire("alice", id);
      limits.release("alice", id);
    }

    ProblemException refused =
        assertThrows(ProblemException.class, () -> limits.acquire("alice", "s4"));
    assertEquals(429, refused.problem().status());
    assertEquals("7200", refused.headers().get("Retry-After"), "two hours to midnight UTC");

    clock.advance(Duration.ofHours(2));
    limits.acquire("alice", "s5");
    assertEquals(1L, store.get(ScanLimits.COLLECTION, "alice").orElseThrow().get("count"));
  }

  @Test
  void forgivingUndoesTheLeaseAndTheCount() {
    limits.acquire("alice", "s1");
    limits.acquire("alice", "s2");

    limits.forgive("alice", "s2");
    limits.forgive("alice", "s2"); // once only

    Map<String, Object> user = store.get(ScanLimits.COLLECTION, "alice").orElseThrow();
    assertEquals(1L, user.get("count"));
    assertEquals(1, ((List<?>) user.get("running")).size());
  }

  @Test
  void aUserAtTheQuotaStillGetsCompleteCacheHits() {
    ScanHarness harness = new ScanHarness();
    harness.scripted.when(r -> r.responseSchema() != null, text(Menus.answer().toString()));
    harness.scripted.otherwise(r -> media("image/png", ScanStreamTest.PNG));
    harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));
    harness.store.merge(
        ScanLimits.COLLECTION,
        "bob",
        Map.of("day", java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), "count", 50L));

    SseTranscript hit = harness.stream(ScanHarness.jsonScan("bob", ScanStreamTest.PHOTO, ""));
    FakeHttpResponse miss =
        harness.post(
            ScanHarness.jsonScan(
                "bob",
                MenuPictures.jpeg(MenuPictures.render(MenuPictures.menus().get(5), 1), 0.8f),
                ""));

    assertTrue(hit.first("done").json().get("cached").getAsBoolean());
    assertEquals(429, miss.status());
    Map<String, Object> bob = harness.store.get(ScanLimits.COLLECTION, "bob").orElseThrow();
    assertEquals(50L, bob.get("count"), "the hit cost nothing");
  }

  @Test
  void aCompleteCacheHitDoesNotCount() {
    ScanHarness harness = new ScanHarness();
    harness.scripted.when(r -> r.responseSchema() != null, text(Menus.answer().toString()));
    harness.scripted.otherwise(r -> media("image/png", ScanStreamTest.PNG));
    harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));

    harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));

    Map<String, Object> user = harness.store.get(ScanLimits.COLLECTION, "alice").orElseThrow();
    assertEquals(1L, user.get("count"));
    assertEquals(List.of(), user.get("running"));
  }

  @Test
  void theEndpointAnswers429BeforeStreamingAndWithoutAModelCall() {
    ScanHarness harness = new ScanHarness();
    harness.store.merge(
        ScanLimits.COLLECTION,
        "alice",
        Map.of(
            "running",
            List.of(
                Map.of("sessionId", "x1", "until", harness.clock.instant().plusSeconds(60)),
                Map.of("sessionId", "x2", "until", harness.clock.instant().plusSeconds(60)))));

    FakeHttpResponse response =
        harness.post(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));

    assertEquals(429, response.status());
    assertEquals("application/problem+json", response.getContentType().orElseThrow());
    assertEquals("10", response.header("Retry-After").orElseThrow());
    assertEquals(List.of(), harness.scripted.requests());
  }

  @Test
  void aScanCountsAgainstTheQuotaAndGivesItsSlotBack() {
    ScanHarness harness = new ScanHarness();
    harness.scripted.when(r -> r.responseSchema() != null, text(Menus.answer().toString()));
    harness.scripted.otherwise(r -> media("image/png", ScanStreamTest.PNG));

    harness.stream(ScanHarness.jsonScan("alice", ScanStreamTest.PHOTO, ""));

    Map<String, Object> user = harness.store.get(ScanLimits.COLLECTION, "alice").orElseThrow();
    assertEquals(1L, user.get("count"));
    assertTrue(((List<?>) user.get("running")).isEmpty());
  }
}
