package dev.mise.emulators.manifest;

/**
 * A Pub/Sub topic. When {@code deadLetterTopic} is set, every subscription on this topic (the
 * manifest's own and the Eventarc subscription of each function it triggers) moves a message there
 * after {@code maxDeliveryAttempts} failed deliveries (default 5). Dead-letter topics are created
 * without being listed separately.
 */
public record Topic(String name, String deadLetterTopic, Integer maxDeliveryAttempts) {

  /** Pub/Sub's smallest allowed value, used when a dead-letter topic is set without a count. */
  public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;

  public boolean hasDeadLetterTopic() {
    return deadLetterTopic != null;
  }
}
