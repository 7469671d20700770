package dev.mise.emulators.manifest;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A Cloud Tasks queue: dispatch rate and concurrency, and the retry policy of its tasks. Fields the
 * manifest leaves out take Cloud Tasks' own defaults, so the local emulator and the cloud agree.
 * Backoffs are written as gcloud wants them: seconds with an {@code s}, e.g. {@code 0.5s}, {@code
 * 30s}. {@code maxAttempts} -1 means unlimited.
 */
public record Queue(
    String name,
    Double maxDispatchesPerSecond,
    Integer maxConcurrentDispatches,
    Integer maxAttempts,
    String minBackoff,
    String maxBackoff,
    Integer maxDoublings) {

  static Queue withCloudTasksDefaults(Queue q) {
    return new Queue(
        q.name,
        q.maxDispatchesPerSecond != null ? q.maxDispatchesPerSecond : 500.0,
        q.maxConcurrentDispatches != null ? q.maxConcurrentDispatches : 1000,
        q.maxAttempts != null ? q.maxAttempts : 100,
        q.minBackoff != null ? q.minBackoff : "0.1s",
        q.maxBackoff != null ? q.maxBackoff : "3600s",
        q.maxDoublings != null ? q.maxDoublings : 16);
  }

  public Duration minBackoffDuration() {
    return seconds(minBackoff);
  }

  public Duration maxBackoffDuration() {
    return seconds(maxBackoff);
  }

  /** Parses {@code 30s} or {@code 0.5s}; the validator has checked the form already. */
  static Duration seconds(String value) {
    BigDecimal secs = new BigDecimal(value.substring(0, value.length() - 1));
    return Duration.ofNanos(secs.movePointRight(9).longValueExact());
  }
}
