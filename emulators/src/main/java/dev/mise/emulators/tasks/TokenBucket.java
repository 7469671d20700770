package dev.mise.emulators.tasks;

/**
 * The queue's rate limit: a token bucket holding up to {@code burst} tokens, refilled at {@code
 * perSecond}; each dispatch takes one. Times are {@link System#nanoTime()} values so a test can
 * drive it with its own clock.
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double perSecond;
  private final double capacity;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, int burst, long nowNanos) {
    this.perSecond = perSecond;
    this.capacity = Math.max(1, burst);
    this.tokens = capacity;
    this.last = nowNanos;
  }

  /** Takes a token and answers 0, or answers how many nanoseconds until one is there. */
  long take(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * perSecond / NANOS_PER_SECOND);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / perSecond));
  }
}
