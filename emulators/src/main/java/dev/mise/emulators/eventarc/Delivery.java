package dev.mise.emulators.eventarc;

import java.time.Instant;

/**
 * One attempt to deliver a message to a trigger's target, as the stand-in records it.
 *
 * @param attempt 1 for the first delivery (Pub/Sub's {@code deliveryAttempt})
 * @param status the HTTP status, or 0 when the target could not be reached
 * @param outcome what the stand-in did next
 */
public record Delivery(
    String trigger, String messageId, int attempt, int status, Outcome outcome, Instant at) {

  /** What followed a delivery attempt. */
  public enum Outcome {
    /** 2xx: the message was acknowledged. */
    ACKED,
    /** Failed; it will be delivered again after the backoff. */
    RETRYING,
    /** Failed for the last time; it was published to the dead-letter topic and acknowledged. */
    DEAD_LETTERED
  }
}
