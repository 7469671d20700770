package dev.mise.common.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mise.common.testing.PubSubEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PubSubMessageTest {

  @Test
  void readsTheMessageOfAMessagePublishedEvent() {
    PubSubMessage message =
        PubSubMessage.from(
            PubSubEvents.messagePublished(
                "demo",
                "health-events",
                "42",
                "héllo".getBytes(StandardCharsets.UTF_8),
                Map.of("k", "v")));

    assertEquals("42", message.messageId());
    assertEquals("héllo", message.text());
    assertEquals(Map.of("k", "v"), message.attributes());
    assertEquals(Instant.parse("2026-01-02T03:04:05.678Z"), message.publishTime());
    assertEquals("projects/demo/subscriptions/eventarc-local-test", message.subscription());
  }

  /** The envelope of functions-framework-conformance's pubsub_text CloudEvent fixture. */
  @Test
  void readsTheConformanceFixtureShape() {
    String json =
        """
        {"subscription": "projects/sample-project/subscriptions/sample-subscription",
         "message": {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
                     "messageId": "aaaaaa-1111-bbbb-2222-cccccccccccc",
                     "publishTime": "2020-09-29T11:32:00.000Z",
                     "attributes": {"attr1": "attr1-value"},
                     "data": "dGVzdCBtZXNzYWdlIDM="}}
        """;

    PubSubMessage message = PubSubMessage.parse(json.getBytes(StandardCharsets.UTF_8));

    assertEquals("aaaaaa-1111-bbbb-2222-cccccccccccc", message.messageId());
    assertEquals("test message 3", message.text());
    assertEquals(Map.of("attr1", "attr1-value"), message.attributes());
    assertEquals(Instant.parse("2020-09-29T11:32:00Z"), message.publishTime());
  }

  @Test
  void acceptsSnakeCaseNamesAndAMessageWithoutDataOrAttributes() {
    String json = "{\"message\":{\"message_id\":\"7\",\"publish_time\":\"2026-01-01T00:00:00Z\"}}";

    PubSubMessage message = PubSubMessage.parse(json.getBytes(StandardCharsets.UTF_8));

    assertEquals("7", message.messageId());
    assertArrayEquals(new byte[0], message.data());
    assertEquals(Map.of(), message.attributes());
    assertNull(message.subscription());
  }

  @Test
  void refusesWhatIsNotAPushEnvelope() {
    for (String json :
        new String[] {
          "[]",
          "{\"data\":\"eA==\"}",
          "{\"message\":{\"data\":\"eA==\"}}",
          "{\"message\":{\"messageId\":\"1\",\"data\":\"not base64!\"}}",
          "{\"message\":{\"messageId\":\"1\",\"publishTime\":\"yesterday\"}}",
          "{not json"
        }) {
      assertThrows(
          IllegalArgumentException.class,
          () -> PubSubMessage.parse(json.getBytes(StandardCharsets.UTF_8)),
          json);
    }
  }
}
