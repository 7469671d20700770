package dev.mise.common.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mise.common.testing.InMemoryJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SeenEventsAndCountersTest {
  private final InMemoryJobStore store = new InMemoryJobStore();

  @Test
  void rememberedEventsAreSeenAndExpire() {
    Instant now = Instant.parse("2025-06-01T12:00:00Z");
    SeenEvents seen =
        new SeenEvents(store, "seen", Duration.ofDays(2), Clock.fixed(now, ZoneOffset.UTC));
    String source = "//pubsub.googleapis.com/projects/p/topics/ocr-jobs";
    assertFalse(seen.contains(source, "42"));
    assertTrue(seen.remember(source, "42"));
    assertTrue(seen.contains(source, "42"));
    assertFalse(seen.contains(source, "43"));
    assertFalse(seen.contains("//other/source", "42"));
    assertFalse(seen.remember(source, "42"));
    Map<String, Object> record = store.get("seen", SeenEvents.key(source, "42")).orElseThrow();
    assertEquals(now.plus(Duration.ofDays(2)), record.get("expireAt"));
  }

  @Test
  void shardedCountersSumTheirShards() {
    AtomicInteger next = new AtomicInteger();
    ShardedCounter counter =
        new ShardedCounter(store, "progress", 4, n -> next.getAndIncrement() % n);
    for (int i = 0; i < 10; i++) {
      counter.add("batch1", Map.of("done", 1L));
    }
    counter.add("batch1", Map.of("failed", 2L));
    counter.add("batch2", Map.of("done", 5L));
    assertEquals(Map.of("done", 10L, "failed", 2L), counter.totals("batch1"));
    assertEquals(4, store.paths().stream().filter(p -> p.startsWith("progress/batch1-")).count());
  }
}
