package dev.mise.common.testing;

import com.google.gson.JsonObject;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvents shaped exactly as Eventarc
 * delivers them (see the Eventarc stand-in), for unit tests of event functions without the
 * cloudevents SDK: {@code function.accept(PubSubEvents.messagePublished("demo", "topic", "42",
 * data, Map.of()))}.
 */
public final class PubSubEvents {

  private PubSubEvents() {}

  /** A message-published event; the event id is the message id, as Eventarc makes it. */
  public static CloudEvent messagePublished(
      String projectId,
      String topic,
      String messageId,
      byte[] data,
      Map<String, String> attributes) {
    OffsetDateTime time = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000, ZoneOffset.UTC);
    String publishTime = time.format(DateTimeFormatter.ISO_INSTANT);
    JsonObject message = new JsonObject();
    JsonObject attributeJson = new JsonObject();
    attributes.forEach(attributeJson::addProperty);
    message.add("attributes", attributeJson);
    message.addProperty("data", Base64.getEncoder().encodeToString(data));
    message.addProperty("messageId", messageId);
    message.addProperty("message_id", messageId);
    message.addProperty("publishTime", publishTime);
    message.addProperty("publish_time", publishTime);
    JsonObject envelope = new JsonObject();
    envelope.add("message", message);
    envelope.addProperty(
        "subscription", "projects/" + projectId + "/subscriptions/eventarc-local-test");
    return new Event(
        messageId,
        URI.create("//pubsub.googleapis.com/projects/" + projectId + "/topics/" + topic),
        time,
        envelope.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** A minimal immutable {@link CloudEvent}. */
  private record Event(String id, URI source, OffsetDateTime time, byte[] json)
      implements CloudEvent {

    @Override
    public CloudEventData getData() {
      return json::clone;
    }

    @Override
    public SpecVersion getSpecVersion() {
      return SpecVersion.V1;
    }

    @Override
    public String getId() {
      return id;
    }

    @Override
    public String getType() {
      return "google.cloud.pubsub.topic.v1.messagePublished";
    }

    @Override
    public URI getSource() {
      return source;
    }

    @Override
    public String getDataContentType() {
      return "application/json";
    }

    @Override
    public URI getDataSchema() {
      return null;
    }

    @Override
    public String getSubject() {
      return null;
    }

    @Override
    public OffsetDateTime getTime() {
      return time;
    }

    @Override
    public Object getAttribute(String name) {
      return switch (name) {
        case "specversion" -> getSpecVersion();
        case "id" -> id;
        case "type" -> getType();
        case "source" -> source;
        case "time" -> time;
        case "datacontenttype" -> getDataContentType();
        default -> null;
      };
    }

    @Override
    public Object getExtension(String name) {
      return null;
    }

    @Override
    public Set<String> getExtensionNames() {
      return Set.of();
    }
  }
}
