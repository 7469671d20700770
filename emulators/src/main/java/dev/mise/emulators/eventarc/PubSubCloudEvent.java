package dev.mise.emulators.eventarc;

import com.google.gson.JsonObject;
import com.google.protobuf.util.Timestamps;
import com.google.pubsub.v1.PubsubMessage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Pub/Sub message as Eventarc delivers it to a function: a CloudEvent in binary content mode,
 * {@code ce-*} headers for the attributes and the push envelope ({@code message}, {@code
 * subscription}) as JSON data. The message carries both the camelCase and snake_case names of its
 * id and publish time, as Pub/Sub's push format does.
 *
 * @param headers the HTTP headers, {@code Content-Type} included
 * @param body the JSON body, UTF-8
 */
public record PubSubCloudEvent(Map<String, String> headers, byte[] body) {

  public static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

  /** The event for a message of {@code topic} received through {@code subscription}. */
  public static PubSubCloudEvent of(
      String projectId, String topic, String subscription, PubsubMessage message) {
    String publishTime = Timestamps.toString(message.getPublishTime());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ce-specversion", "1.0");
    headers.put("ce-id", message.getMessageId());
    headers.put("ce-source", "//pubsub.googleapis.com/projects/" + projectId + "/topics/" + topic);
    headers.put("ce-type", TYPE);
    headers.put("ce-time", publishTime);
    headers.put("Content-Type", "application/json; charset=utf-8");

    JsonObject attributes = new JsonObject();
    message.getAttributesMap().forEach(attributes::addProperty);
    JsonObject json = new JsonObject();
    json.add("attributes", attributes);
    if (!message.getData().isEmpty()) {
      json.addProperty("data", Base64.getEncoder().encodeToString(message.getData().toByteArray()));
    }
    json.addProperty("messageId", message.getMessageId());
    json.addProperty("message_id", message.getMessageId());
    if (!message.getOrderingKey().isEmpty()) {
      json.addProperty("orderingKey", message.getOrderingKey());
    }
    json.addProperty("publishTime", publishTime);
    json.addProperty("publish_time", publishTime);
    JsonObject envelope = new JsonObject();
    envelope.add("message", json);
    envelope.addProperty(
        "subscription", "projects/" + projectId + "/subscriptions/" + subscription);
    return new PubSubCloudEvent(
        Collections.unmodifiableMap(headers), envelope.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The POST that delivers this event to a function. */
  public HttpRequest toRequest(URI target, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request.build();
  }
}
