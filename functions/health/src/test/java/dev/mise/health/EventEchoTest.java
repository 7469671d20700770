package dev.mise.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.testing.InMemoryJobStore;
import dev.mise.common.testing.PubSubEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEchoTest {

  private final InMemoryJobStore store = new InMemoryJobStore();
  private final Instant now = Instant.parse("2026-11-21T10:00:00Z");

  private EventEcho echo(Instant at) {
    return new EventEcho(store, Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void writesTheMessageUnderTheEventId() throws Exception {
    echo(now)
        .accept(
            PubSubEvents.messagePublished(
                "demo", "health-events", "17", bytes("ping"), Map.of("from", "test")));

    Map<String, Object> doc = store.get("healthEchoes", "17").orElseThrow();
    assertEquals("ping", doc.get("data"));
    assertEquals(Map.of("from", "test"), doc.get("attributes"));
    assertEquals("17", doc.get("eventId"));
    assertEquals("//pubsub.googleapis.com/projects/demo/topics/health-events", doc.get("source"));
    assertEquals(now, doc.get("receivedAt"));
  }

  @Test
  void aRedeliveredEventChangesNothing() throws Exception {
    var event =
        PubSubEvents.messagePublished("demo", "health-events", "17", bytes("ping"), Map.of());
    echo(now).accept(event);
    echo(now.plusSeconds(60)).accept(event);

    assertEquals(List.of("healthEchoes/17"), store.paths());
    assertEquals(now, store.get("healthEchoes", "17").orElseThrow().get("receivedAt"));
  }

  @Test
  void aMessageAskingToFailThrowsAndWritesNothing() {
    var event =
        PubSubEvents.messagePublished(
            "demo", "health-events", "18", bytes("x"), Map.of("fail", "true"));
    assertThrows(IllegalStateException.class, () -> echo(now).accept(event));
    assertEquals(List.of(), store.paths());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
