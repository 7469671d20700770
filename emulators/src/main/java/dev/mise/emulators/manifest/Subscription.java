package dev.mise.emulators.manifest;

/**
 * A pull subscription someone reads by hand, e.g. to inspect a dead-letter topic. Functions'
 * subscriptions are not listed: Eventarc creates them from the {@code pubsub:} trigger.
 */
public record Subscription(String name, String topic, Integer ackDeadlineSeconds) {

  /** Pub/Sub's default when the manifest does not say. */
  public static final int DEFAULT_ACK_DEADLINE_SECONDS = 10;
}
