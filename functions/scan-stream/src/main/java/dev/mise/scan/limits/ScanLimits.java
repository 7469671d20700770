package dev.mise.scan.limits;

import dev.mise.common.http.Problem;
import dev.mise.common.http.ProblemException;
import dev.mise.common.jobs.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-user limits on scans: how many may run at once and how many may start per UTC day. State
 * lives in one document per user ({@code scanUsers/<uid>}), changed in a transaction: a list of
 * running scans, each with a lease that expires (so a crashed instance cannot lock a user out), and
 * a counter for the day. A refusal is a 429 with {@code Retry-After}.
 */
public final class ScanLimits {

  public static final String COLLECTION = "scanUsers";
  // A scan usually ends within seconds; this is when to try again after "too many at once".
  private static final long CONCURRENT_RETRY_SECONDS = 10;

  private final JobStore store;
  private final int maxConcurrent;
  private final int dailyQuota;
  private final Duration lease;
  private final Clock clock;

  public ScanLimits(
      JobStore store, int maxConcurrent, int dailyQuota, Duration lease, Clock clock) {
    this.store = store;
    this.maxConcurrent = maxConcurrent;
    this.dailyQuota = dailyQuota;
    this.lease = lease;
    this.clock = clock;
  }

  /** Counts a scan against the user's limits, or throws a 429 problem. */
  public void acquire(String uid, String sessionId) {
    Instant now = clock.instant();
    String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    Refusal refusal =
        store.transact(
            COLLECTION,
            uid,
            doc -> {
              Map<String, Object> state = doc.orElse(Map.of());
              List<Map<String, Object>> running = live(state, now);
              long count = today.equals(state.get("day")) ? number(state.get("count")) : 0;
              if (count >= dailyQuota) {
                return JobStore.Change.none(Refusal.DAILY);
              }
              if (running.size() >= maxConcurrent) {
                return JobStore.Change.none(Refusal.CONCURRENT);
              }
              Map<String, Object> lease = new LinkedHashMap<>();
              lease.put("sessionId", sessionId);
              lease.put("until", now.plus(this.lease));
              running.add(lease);
              Map<String, Object> change = new LinkedHashMap<>();
              change.put("running", running);
              change.put("day", today);
              change.put("count", count + 1);
              return JobStore.Change.write(change, Refusal.NONE);
            });
    switch (refusal) {
      case NONE -> {}
      case CONCURRENT ->
          throw tooMany(
              "You have " + maxConcurrent + " scans running; wait for one to finish.",
              CONCURRENT_RETRY_SECONDS);
      case DAILY -> {
        long untilMidnight =
            Duration.between(
                    now,
                    LocalDate.ofInstant(now, ZoneOffset.UTC)
                        .plusDays(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant())
                .toSeconds();
        throw tooMany(
            "You have used today's " + dailyQuota + " scans; the quota resets at midnight UTC.",
            Math.max(1, untilMidnight));
      }
    }
  }

  /** Ends a scan's lease; the day's count stays. */
  public void release(String uid, String sessionId) {
    Instant now = clock.instant();
    store.transact(
        COLLECTION,
        uid,
        doc -> {
          if (doc.isEmpty()) {
            return JobStore.Change.none(null);
          }
          List<Map<String, Object>> running = live(doc.get(), now);
          running.removeIf(lease -> sessionId.equals(lease.get("sessionId")));
          return JobStore.Change.write(Map.of("running", running), null);
        });
  }

  /**
   * Undoes an acquisition whose scan cost nothing (a cache hit) or never ran (refused input): the
   * lease ends and the day's count goes back down. Nothing happens if the lease is not there.
   */
  public void forgive(String uid, String sessionId) {
    Instant now = clock.instant();
    String today = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    store.transact(
        COLLECTION,
        uid,
        doc -> {
          if (doc.isEmpty()) {
            return JobStore.Change.none(null);
          }
          List<Map<String, Object>> running = live(doc.get(), now);
          if (!running.removeIf(lease -> sessionId.equals(lease.get("sessionId")))) {
            return JobStore.Change.none(null);
          }
          Map<String, Object> change = new LinkedHashMap<>();
          change.put("running", running);
          if (today.equals(doc.get().get("day"))) {
            change.put("count", Math.max(0, number(doc.get().get("count")) - 1));
          }
          return JobStore.Change.write(change, null);
        });
  }

  private enum Refusal {
    NONE,
    CONCURRENT,
    DAILY
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> live(Map<String, Object> state, Instant now) {
    List<Map<String, Object>> running = new ArrayList<>();
    for (Object each : (List<Object>) state.getOrDefault("running", List.of())) {
      Map<String, Object> lease = (Map<String, Object>) each;
      if (lease.get("until") instanceof Instant until && until.isAfter(now)) {
        running.add(new LinkedHashMap<>(lease));
      }
    }
    return running;
  }

  private static long number(Object value) {
    return value instanceof Number n ? n.longValue() : 0;
  }

  private static ProblemException tooMany(String detail, long retryAfterSeconds) {
    return new ProblemException(
        Problem.of(429, "too-many-scans", "Too many scans", detail),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }
}
