package dev.mise.emulators.tasks;

import com.google.cloud.tasks.v2.RetryConfig;
import java.time.Duration;

/**
 * When a failed task is tried again, and when it is given up, as Cloud Tasks documents it: the
 * interval starts at {@code minBackoff}, doubles {@code maxDoublings} times, then grows linearly by
 * that last doubled step, and never exceeds {@code maxBackoff}. (min 10s, max 300s, 3 doublings:
 * 10, 20, 40, 80, 160, 240, 300, 300 ...)
 *
 * @param maxAttempts attempts in total, -1 for unlimited
 * @param maxRetryDuration age limit counted from the first attempt, zero for none
 */
record RetrySchedule(
    int maxAttempts,
    Duration maxRetryDuration,
    Duration minBackoff,
    Duration maxBackoff,
    int maxDoublings) {

  /** Reads a queue's retry config; the queue has already been given defaults. */
  static RetrySchedule of(RetryConfig config) {
    return new RetrySchedule(
        config.getMaxAttempts(),
        Protos.duration(config.getMaxRetryDuration()),
        Protos.duration(config.getMinBackoff()),
        Protos.duration(config.getMaxBackoff()),
        config.getMaxDoublings());
  }

  /** The wait before retry number {@code retry}; the first retry (second attempt) is 1. */
  Duration backoff(int retry) {
    int steps = Math.max(0, retry - 1);
    int doublings = Math.min(steps, maxDoublings);
    int linearSteps = steps - doublings;
    // In double, so that a large maxDoublings saturates at maxBackoff instead of overflowing.
    double nanos = minBackoff.toNanos() * Math.pow(2, doublings) * (1 + linearSteps);
    return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
  }

  /**
   * Whether a task that failed its latest attempt is dropped. With both limits set, both must be
   * passed (the documented rule for {@code max_attempts} with {@code max_retry_duration}).
   */
  boolean givesUp(int attempts, Duration age) {
    boolean attemptsSpent = maxAttempts > 0 && attempts >= maxAttempts;
    boolean tooOld = maxRetryDuration.isPositive() && age.compareTo(maxRetryDuration) >= 0;
    if (maxAttempts > 0 && maxRetryDuration.isPositive()) {
      return attemptsSpent && tooOld;
    }
    return attemptsSpent || tooOld;
  }
}
