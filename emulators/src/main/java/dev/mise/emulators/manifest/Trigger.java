package dev.mise.emulators.manifest;

/**
 * What invokes a function: {@code http}, {@code pubsub:<topic>} (an Eventarc Pub/Sub trigger
 * delivering CloudEvents) or {@code tasks:<queue>} (an HTTP target of a Cloud Tasks queue).
 */
public sealed interface Trigger {

  /** The manifest's spelling, e.g. {@code pubsub:health-events}. */
  String wireName();

  /** Called over HTTP: by the edge, by a user, or by another function. */
  record Http() implements Trigger {
    @Override
    public String wireName() {
      return "http";
    }
  }

  /** Invoked with each message published to {@code topic}, as a CloudEvent. */
  record PubSub(String topic) implements Trigger {
    @Override
    public String wireName() {
      return "pubsub:" + topic;
    }
  }

  /** Called by Cloud Tasks for each task of {@code queue}, with an OIDC token. */
  record Tasks(String queue) implements Trigger {
    @Override
    public String wireName() {
      return "tasks:" + queue;
    }
  }

  static Trigger parse(String value) {
    if (value.equals("http")) {
      return new Http();
    }
    if (value.startsWith("pubsub:") && value.length() > "pubsub:".length()) {
      return new PubSub(value.substring("pubsub:".length()));
    }
    if (value.startsWith("tasks:") && value.length() > "tasks:".length()) {
      return new Tasks(value.substring("tasks:".length()));
    }
    throw new IllegalArgumentException(
        "must be 'http', 'pubsub:<topic>' or 'tasks:<queue>', was '" + value + "'");
  }
}
