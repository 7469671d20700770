package dev.mise.common.events;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Pub/Sub message inside a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent, as
 * Eventarc delivers it to an event function: the event's data is the push envelope {@code
 * {"message": {...}, "subscription": "projects/P/subscriptions/S"}} with the payload in base64.
 *
 * <pre>{@code
 * public void accept(CloudEvent event) {
 *   PubSubMessage message = PubSubMessage.from(event);
 *   String text = message.text();
 * }
 * }</pre>
 *
 * @param messageId the server's id (the same as the event's id)
 * @param data the payload, decoded; empty when the message had none
 * @param publishTime when Pub/Sub accepted the message; null if the envelope had none
 * @param subscription the full subscription name; null if the envelope had none
 */
public record PubSubMessage(
    String messageId,
    byte[] data,
    Map<String, String> attributes,
    Instant publishTime,
    String subscription) {

  public static final String EVENT_TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

  public PubSubMessage {
    attributes = Map.copyOf(attributes);
  }

  /**
   * Reads the message from a CloudEvent.
   *
   * @throws IllegalArgumentException when the event has no data or the data is not a push envelope
   */
  public static PubSubMessage from(CloudEvent event) {
    if (event.getData() == null) {
      throw new IllegalArgumentException("CloudEvent " + event.getId() + " has no data");
    }
    return parse(event.getData().toBytes());
  }

  /** Reads the message from the envelope's JSON. */
  public static PubSubMessage parse(byte[] envelopeJson) {
    try {
      JsonElement root = JsonParser.parseString(new String(envelopeJson, StandardCharsets.UTF_8));
      if (!root.isJsonObject() || !root.getAsJsonObject().has("message")) {
        throw new IllegalArgumentException("not a Pub/Sub envelope: no \"message\"");
      }
      JsonObject envelope = root.getAsJsonObject();
      JsonObject message = envelope.getAsJsonObject("message");
      String id = firstString(message, "messageId", "message_id");
      if (id == null) {
        throw new IllegalArgumentException("Pub/Sub message without messageId");
      }
      String data = firstString(message, "data");
      Map<String, String> attributes = new LinkedHashMap<>();
      if (message.has("attributes") && message.get("attributes").isJsonObject()) {
        message
            .getAsJsonObject("attributes")
            .entrySet()
            .forEach(e -> attributes.put(e.getKey(), e.getValue().getAsString()));
      }
      String publishTime = firstString(message, "publishTime", "publish_time");
      return new PubSubMessage(
          id,
          data == null ? new byte[0] : Base64.getDecoder().decode(data),
          attributes,
          publishTime == null ? null : Instant.parse(publishTime),
          firstString(envelope, "subscription"));
    } catch (JsonParseException | IllegalStateException | ClassCastException e) {
      throw new IllegalArgumentException("malformed Pub/Sub envelope: " + e.getMessage(), e);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("malformed publishTime: " + e.getParsedString(), e);
    }
  }

  /** The payload as UTF-8 text. */
  public String text() {
    return new String(data, StandardCharsets.UTF_8);
  }

  private static String firstString(JsonObject object, String... names) {
    for (String name : names) {
      JsonElement value = object.get(name);
      if (value != null && value.isJsonPrimitive()) {
        return value.getAsString();
      }
    }
    return null;
  }
}
