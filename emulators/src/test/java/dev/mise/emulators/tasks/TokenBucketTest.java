package dev.mise.emulators.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void allowsTheBurstThenOneTokenPerPeriod() {
    TokenBucket bucket = new TokenBucket(2, 3, 0);

    assertEquals(0, bucket.take(0));
    assertEquals(0, bucket.take(0));
    assertEquals(0, bucket.take(0));
    assertEquals(SECOND / 2, bucket.take(0), "empty: the next token comes after 1/rate");
    assertEquals(SECOND / 4, bucket.take(SECOND / 4));
    assertEquals(0, bucket.take(SECOND / 2));
  }

  @Test
  void refillStopsAtTheBurstSize() {
    TokenBucket bucket = new TokenBucket(10, 2, 0);

    long later = 100 * SECOND;
    assertEquals(0, bucket.take(later));
    assertEquals(0, bucket.take(later));
    assertEquals(SECOND / 10, bucket.take(later));
  }
}
