package dev.mise.emulators.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

  @Test
  void backoffDoublesThenGrowsLinearlyThenCapsAsDocumented() {
    // The example of RetryConfig.max_doublings: min 10s, max 300s, 3 doublings.
    RetrySchedule schedule =
        new RetrySchedule(100, Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(300), 3);

    List<Long> seconds =
        IntStream.rangeClosed(1, 8).mapToObj(schedule::backoff).map(Duration::toSeconds).toList();

    assertEquals(List.of(10L, 20L, 40L, 80L, 160L, 240L, 300L, 300L), seconds);
  }

  @Test
  void hugeDoublingsSaturateAtMaxBackoff() {
    RetrySchedule schedule =
        new RetrySchedule(-1, Duration.ZERO, Duration.ofMillis(100), Duration.ofHours(1), 500);

    assertEquals(Duration.ofHours(1), schedule.backoff(400));
  }

  @Test
  void givesUpAfterMaxAttemptsUnlessUnlimited() {
    RetrySchedule five =
        new RetrySchedule(5, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1), 2);
    RetrySchedule unlimited =
        new RetrySchedule(-1, Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(1), 2);

    assertFalse(five.givesUp(4, Duration.ofDays(1)));
    assertTrue(five.givesUp(5, Duration.ZERO));
    assertFalse(unlimited.givesUp(10_000, Duration.ofDays(30)));
  }

  @Test
  void withAnAgeLimitBothLimitsMustBePassed() {
    RetrySchedule schedule =
        new RetrySchedule(
            3, Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(1), 2);

    assertFalse(schedule.givesUp(3, Duration.ofSeconds(59)));
    assertFalse(schedule.givesUp(2, Duration.ofMinutes(2)));
    assertTrue(schedule.givesUp(3, Duration.ofMinutes(1)));
  }
}
