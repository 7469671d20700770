package dev.mise.emulators.eventarc;

import java.time.Duration;

/**
 * How long a failed delivery waits before the next attempt: {@code minimum} doubled per attempt,
 * capped at {@code maximum}, like a Pub/Sub subscription's retry policy. Eventarc's subscriptions
 * use 10 s to 600 s; tests use milliseconds.
 */
public record Backoff(Duration minimum, Duration maximum) {

  /** The policy of the subscriptions Eventarc creates. */
  public static final Backoff EVENTARC =
      new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(600));

  public Backoff {
    if (minimum.isNegative() || maximum.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "need 0 <= minimum <= maximum: " + minimum + ", " + maximum);
    }
  }

  /** The wait after the given failed attempt (1 for the first delivery). */
  public Duration after(int attempt) {
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    Duration delay = minimum.multipliedBy(1L << doublings);
    return delay.compareTo(maximum) > 0 || delay.isNegative() ? maximum : delay;
  }
}
