package dev.mise.emulators.eventarc;

import java.net.URI;
import java.util.Objects;

/**
 * One Eventarc trigger of type {@code google.cloud.pubsub.topic.v1.messagePublished}: messages
 * published to {@code topic} are delivered to {@code target} as CloudEvents. With a {@code
 * deadLetterTopic}, a message that failed {@code maxDeliveryAttempts} times (5 to 100, as Pub/Sub
 * allows) moves there; without one it is retried until it succeeds.
 *
 * @param name the trigger's name; the stand-in's subscription is {@code eventarc-local-<name>}
 */
public record Trigger(
    String name, String topic, URI target, String deadLetterTopic, int maxDeliveryAttempts) {

  public Trigger {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(target, "target");
    if (deadLetterTopic != null && (maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100)) {
      throw new IllegalArgumentException(
          "maxDeliveryAttempts must be between 5 and 100, was " + maxDeliveryAttempts);
    }
  }

  /** A trigger without a dead-letter topic. */
  public static Trigger of(String name, String topic, URI target) {
    return new Trigger(name, topic, target, null, 0);
  }

  /** The subscription the stand-in pulls from. */
  public String subscription() {
    return "eventarc-local-" + name;
  }
}
